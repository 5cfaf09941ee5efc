import { createHash, createHmac } from 'node:crypto';
import https from 'node:https';
import type { ExportEvent } from '../../shared/domain/export';
import { auditHeadText, networkErrorMessage, SinkError, type BatchContext, type DeliveryResult, type Sink } from './sink';
import type { AuditHeadRef } from '../audit/audit-seal';

export const EXPORT_BATCH_SCHEMA = 'watchroom.export-batch';
/** Header with the audit trail's head of the sending workstation: `<row id>.<row hash>`. */
export const AUDIT_HEAD_HEADER = 'x-watchroom-audit-head';
export const EXPORT_BATCH_VERSION = 1;

/** HTTPS target settings (see HttpsTargetSchema). */
export interface HttpsSinkOptions {
  sinkId: string;
  site: string;
  url: string;
  auth: 'none' | 'bearer' | 'hmac';
  /** Bearer token or HMAC key. */
  secret: string;
  /** Pinned CA (PEM): only certificates signed by it are trusted. */
  caPem: string;
}

/** Idempotency key of a batch: the same events give the same key, whoever sends them, however often. */
export function batchIdOf(sinkId: string, events: readonly ExportEvent[]): string {
  const h = createHash('sha256').update(sinkId);
  for (const e of events) h.update('\n').update(e.id);
  return h.digest('hex').slice(0, 32);
}

/** Signature header value: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the shared key. */
export function hmacSignature(key: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * POSTs JSON batches (resources/schemas/export-batch.v1.schema.json) to an HTTPS endpoint. The receiver stores
 * each event once by its `id`; `Idempotency-Key` names the batch. A 2xx answer may list `rejected` events
 * ({ id, reason }) that are invalid: those go to dead letter, the rest count as stored.
 */
export class HttpsSink implements Sink {
  private readonly agent: https.Agent;
  private readonly host: string;

  constructor(private readonly o: HttpsSinkOptions) {
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 2, ...(o.caPem.trim() ? { ca: o.caPem } : {}) });
    this.host = safeHost(o.url);
  }

  async deliver(events: readonly ExportEvent[], signal: AbortSignal, batch?: BatchContext): Promise<DeliveryResult> {
    const batchId = batchIdOf(this.o.sinkId, events);
    const body = JSON.stringify({ schema: EXPORT_BATCH_SCHEMA, version: EXPORT_BATCH_VERSION, batchId, site: this.o.site, sentAt: new Date().toISOString(), events });
    const { status, text } = await this.post(body, batchId, signal, batch?.auditHead ?? null);
    if (status >= 200 && status < 300) {
      const ids = new Set(events.map((e) => e.id));
      let rejected: DeliveryResult['rejected'] = [];
      try {
        const parsed = text ? (JSON.parse(text) as { rejected?: unknown }) : {};
        if (Array.isArray(parsed.rejected)) {
          rejected = parsed.rejected
            .filter((r): r is { id: string; reason?: unknown } => !!r && typeof (r as { id?: unknown }).id === 'string' && ids.has((r as { id: string }).id))
            .map((r) => ({ id: r.id, reason: typeof r.reason === 'string' ? r.reason : 'rejected by the endpoint' }));
        }
      } catch {
        // A 2xx without a JSON body: everything stored.
      }
      return { rejected };
    }
    const snippet = text.replace(/\s+/g, ' ').slice(0, 200);
    if (status === 400 || status === 413 || status === 422) throw new SinkError('invalid', `The endpoint rejected the batch (HTTP ${status}${snippet ? `: ${snippet}` : ''}).`);
    if (status === 401 || status === 403) throw new SinkError('config', `The endpoint refused the credentials (HTTP ${status}): check the token or HMAC key.`);
    if (status === 404 || status === 405) throw new SinkError('config', `No batch endpoint at this URL (HTTP ${status}).`);
    throw new SinkError('transient', `The endpoint answered HTTP ${status}${snippet ? `: ${snippet}` : ''}.`);
  }

  async test(signal: AbortSignal): Promise<void> {
    await this.deliver([], signal);
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private post(body: string, batchId: string, signal: AbortSignal, auditHead: AuditHeadRef | null = null): Promise<{ status: number; text: string }> {
    const ts = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'idempotency-key': batchId,
      'x-watchroom-schema': `${EXPORT_BATCH_SCHEMA}.v${EXPORT_BATCH_VERSION}`,
    };
    // A header, not a body field: version 1's body admits no new top-level keys (resources/schemas/...).
    if (auditHead) headers[AUDIT_HEAD_HEADER] = auditHeadText(auditHead);
    if (this.o.auth === 'bearer') headers.authorization = `Bearer ${this.o.secret}`;
    if (this.o.auth === 'hmac') {
      headers['x-watchroom-timestamp'] = ts;
      headers['x-watchroom-signature'] = hmacSignature(this.o.secret, ts, body);
    }
    return new Promise((resolve, reject) => {
      let req: ReturnType<typeof https.request>;
      try {
        req = https.request(this.o.url, { method: 'POST', agent: this.agent, headers, signal }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= 1_000_000) chunks.push(c);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(this.mapError(err, signal)));
        });
      } catch (err) {
        reject(new SinkError('config', `The endpoint URL is not usable: ${(err as Error).message}`));
        return;
      }
      req.on('error', (err) => reject(this.mapError(err, signal)));
      req.end(body);
    });
  }

  private mapError(err: unknown, signal: AbortSignal): SinkError {
    if (signal.aborted) return new SinkError('transient', `${this.host} did not answer in time.`);
    return networkErrorMessage(err, this.host) ?? new SinkError('transient', `Sending to ${this.host} failed: ${(err as Error).message}`);
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}
