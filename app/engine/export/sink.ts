import type { ExportEvent } from '../../shared/domain/export';
import type { AuditHeadRef } from '../audit/audit-seal';

/**
 * Why a delivery failed. `transient`: down, unreachable, timed out, 5xx — retry with backoff, the breaker counts
 * it. `config`: wrong password, unknown host, TLS certificate mismatch, 401/403 — retried the same way (nothing
 * is lost while it is wrong) but shown as a configuration problem. `invalid`: the sink rejects the batch's
 * content — split it, and dead-letter single events it still rejects.
 */
export type SinkErrorKind = 'transient' | 'config' | 'invalid';

export class SinkError extends Error {
  constructor(
    readonly kind: SinkErrorKind,
    /** Officer-readable, never contains secrets. */
    message: string,
  ) {
    super(message);
    this.name = 'SinkError';
  }
}

/** Outcome of a delivered batch: the events the sink refused as invalid (the rest are stored). */
export interface DeliveryResult {
  rejected: { id: string; reason: string }[];
}

/** What every batch carries besides its events. */
export interface BatchContext {
  /**
   * The audit trail's newest row when the batch was sent (null: empty trail). The central system keeps it as an
   * outside witness of how far the workstation's trail reached, so a trail later cut short shows.
   */
  auditHead: AuditHeadRef | null;
}

/** The head as one token, `<row id>.<row hash>`, as the HTTPS header and the MQTT topic carry it. */
export const auditHeadText = (h: AuditHeadRef): string => `${h.id}.${h.hash}`;

/** One export target. Implementations must be idempotent by event id at the receiving end. */
export interface Sink {
  /** Delivers events in order. Throws SinkError. Must give up by itself once `signal` aborts. */
  deliver(events: readonly ExportEvent[], signal: AbortSignal, batch?: BatchContext): Promise<DeliveryResult>;
  /** Checks the connection and credentials (the admin's "Test" button). Throws SinkError. */
  test(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Maps Node network/TLS error codes to officer-readable messages; null when the code is not a known one. */
export function networkErrorMessage(err: unknown, what: string): SinkError | null {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SinkError('config', `Unknown host: ${what} cannot be found (check the address).`);
    case 'ECONNREFUSED':
      return new SinkError('transient', `${what} refuses connections (is it running, is the port right?).`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return new SinkError('transient', `The connection to ${what} was cut.`);
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new SinkError('transient', `${what} does not answer (timed out).`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new SinkError('transient', `${what} is unreachable from this workstation (network down?).`);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new SinkError('config', `TLS: the certificate of ${what} does not match its host name.`);
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'CERT_SIGNATURE_FAILURE':
      return new SinkError('config', `TLS: the certificate of ${what} is not signed by a trusted CA (set or check the pinned CA).`);
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return new SinkError('config', `TLS: the certificate of ${what} is expired or not yet valid.`);
    default:
      if (/^ERR_TLS_|^ERR_SSL_/.test(code)) return new SinkError('config', `TLS handshake with ${what} failed (${code}).`);
      return null;
  }
}
