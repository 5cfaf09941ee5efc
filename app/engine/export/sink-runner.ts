import type { ExportEvent, ExportSinkStatus } from '../../shared/domain/export';
import { backlogCountThreshold, filtersMatch } from '../../shared/domain/export';
import { backlogPastThreshold } from '../alarms/system-health';
import type { Logger } from '../logging/logger';
import { CircuitBreaker } from './circuit-breaker';
import type { Outbox, OutboxRow } from './outbox';
import { SinkError, type Sink } from './sink';
import type { SinkRecord, SinkRepository } from './sink.repository';
import type { AuditHeadRef } from '../audit/audit-seal';

export interface SinkRunnerOptions {
  record: SinkRecord;
  sink: Sink;
  outbox: Outbox;
  repo: SinkRepository;
  logger: Logger;
  now?: () => number;
  /** Idle poll period when the outbox has nothing new (a new row wakes the runner earlier), ms. */
  idleMs?: number;
  /** First backoff, ms (default 500). */
  baseBackoffMs?: number;
  random?: () => number;
  /** The audit trail's head, carried in every batch (AuditTrail.head). */
  auditHead?: () => AuditHeadRef | null;
}

/** An outbox row as the wire event of a site. */
export function toExportEvent(row: OutboxRow, site: string): ExportEvent {
  return { id: row.id, type: row.type, site, cameraId: row.cameraId, ruleId: row.ruleId, at: new Date(row.atMs).toISOString(), data: row.data };
}

const RATE_WINDOW_MS = 10_000;

/**
 * The delivery loop of one sink: reads bounded batches after its cursor (outbox order, so every camera's events
 * keep their order), delivers them, then commits the cursor and any dead letters in one SQLite transaction.
 * Between batches it yields to the event loop (setImmediate), so a backlog drains at full speed without
 * starving frame handling. Failures go through the circuit breaker; "invalid" answers are split in halves until
 * the offending events are alone, and those go to dead letter.
 */
export class SinkRunner {
  readonly breaker: CircuitBreaker;
  private cursor: number;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  private pendingRewind: number | null = null;
  private splitLimit = 0;
  private splitUntil = 0;
  private retrySingle = false;
  private delivered = 0;
  private lastError: string | null = null;
  private lastErrorKind: 'config' | 'transient' | null = null;
  private lastSuccessAt: number | null = null;
  private readonly recent: { at: number; n: number }[] = [];
  private readonly now: () => number;
  private readonly log: Logger;
  private inFlight: AbortController | null = null;

  constructor(private readonly o: SinkRunnerOptions) {
    this.now = o.now ?? Date.now;
    this.cursor = o.repo.cursorOf(o.record.id);
    this.log = o.logger.child({ sink: o.record.id, kind: o.record.target.kind });
    this.breaker = new CircuitBreaker({ failureThreshold: o.record.tuning.failureThreshold, maxMs: o.record.tuning.maxBackoffMs, baseMs: o.baseBackoffMs, random: o.random });
  }

  get id(): string {
    return this.o.record.id;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop().catch((err: unknown) => this.log.error('export loop crashed', { err }));
  }

  /** Stops the loop (aborting a delivery in flight: its batch is sent again later) and closes the sink. */
  async stop(): Promise<void> {
    this.running = false;
    this.inFlight?.abort();
    this.wake();
    await this.loopDone;
    await this.o.sink.close().catch(() => undefined);
  }

  /** New outbox rows: stop idling. */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  /** Replay-from-date: the cursor moves back after the batch in flight (if any) is committed. */
  rewind(cursor: number): void {
    this.pendingRewind = cursor;
    this.wake();
  }

  status(): ExportSinkStatus {
    const now = this.now();
    const backlog = Math.max(0, this.o.outbox.maxSeq() - this.cursor);
    const oldest = backlog ? this.o.outbox.oldestCreatedAfter(this.cursor) : null;
    const oldestAgeMs = oldest === null ? null : Math.max(0, now - oldest);
    while (this.recent.length && this.recent[0]!.at < now - RATE_WINDOW_MS) this.recent.shift();
    const n = this.recent.reduce((s, r) => s + r.n, 0);
    const span = this.recent.length ? Math.max(1000, now - this.recent[0]!.at) : RATE_WINDOW_MS;
    const next = this.breaker.nextAttemptAt;
    return {
      sinkId: this.id,
      breaker: this.breaker.state,
      backlog,
      oldestAgeMs,
      delivered: this.delivered,
      ratePerSec: Math.round((n / span) * 10_000) / 10,
      deadLetters: this.o.repo.deadLetterCount(this.id),
      dropped: this.o.repo.droppedOf(this.id),
      lastError: this.lastError,
      lastErrorKind: this.lastErrorKind,
      lastSuccessAt: this.lastSuccessAt === null ? null : new Date(this.lastSuccessAt).toISOString(),
      nextAttemptAt: next > now ? new Date(next).toISOString() : null,
      alarm: backlogPastThreshold({ backlog, oldestAgeMs, ageThresholdMs: this.o.record.tuning.backlogAlarmMinutes * 60_000, countThreshold: backlogCountThreshold(this.o.record.tuning) }),
    };
  }

  private async loop(): Promise<void> {
    await this.probe();
    while (this.running) {
      if (this.pendingRewind !== null) {
        this.cursor = this.pendingRewind;
        this.o.repo.setCursor(this.id, this.cursor);
        this.pendingRewind = null;
        this.splitUntil = 0;
      }
      const now = this.now();
      if (!this.breaker.canAttempt(now)) {
        await this.idle(this.breaker.nextAttemptAt - now);
        continue;
      }
      const worked = await this.step();
      if (!worked) await this.idle(this.o.idleMs ?? 1000);
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** One batch (retries first). Returns false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const t = this.o.record.tuning;
    const probe = this.breaker.state === 'half-open';
    const retry = this.o.repo.retryBatch(this.id, probe || this.retrySingle ? 1 : Math.min(50, t.batchSize));
    if (retry.length) {
      await this.attempt(retry, true);
      return true;
    }
    this.retrySingle = false;
    if (this.cursor >= this.splitUntil) this.splitUntil = 0;
    const limit = probe ? 1 : this.splitUntil ? Math.min(t.batchSize, this.splitLimit) : t.batchSize;
    const rows = this.o.outbox.read(this.cursor, limit);
    if (!rows.length) return false;
    const wanted = rows.filter((r) => filtersMatch(this.o.record.filters, r));
    const last = rows[rows.length - 1]!.seq;
    if (!wanted.length) {
      this.o.repo.commitBatch(this.id, last, []);
      this.cursor = Math.max(this.cursor, last);
      return true;
    }
    await this.attempt(wanted, false, last);
    return true;
  }

  private async attempt(rows: OutboxRow[], isRetry: boolean, lastSeq = 0): Promise<void> {
    const events = rows.map((r) => toExportEvent(r, this.o.record.site));
    const ac = new AbortController();
    this.inFlight = ac;
    const timer = setTimeout(() => ac.abort(), this.o.record.tuning.timeoutMs);
    try {
      // Whatever the sink does, the attempt ends at the timeout (a hung client cannot stall the loop or stop()).
      const result = await Promise.race([this.o.sink.deliver(events, ac.signal, { auditHead: this.o.auditHead?.() ?? null }), rejectOnAbort(ac.signal)]);
      if (ac.signal.aborted) throw new SinkError('transient', 'The sink did not answer in time.');
      const byId = new Map(rows.map((r) => [r.id, r]));
      const rejected = result.rejected.flatMap((x) => (byId.has(x.id) ? [{ row: byId.get(x.id)!, reason: x.reason }] : []));
      if (isRetry) {
        const bad = new Set(rejected.map((r) => r.row.id));
        this.o.repo.commitRetry(this.id, rows.filter((r) => !bad.has(r.id)).map((r) => r.id), rejected);
      } else {
        this.o.repo.commitBatch(this.id, lastSeq, rejected);
        this.cursor = Math.max(this.cursor, lastSeq);
      }
      this.succeeded(rows.length - rejected.length);
      if (rejected.length) this.log.warn('events rejected as invalid (dead letter)', { n: rejected.length, first: rejected[0]!.reason });
    } catch (err) {
      const e = err instanceof SinkError ? err : new SinkError('transient', (err as Error).message ?? String(err));
      if (!this.running) return;
      if (e.kind === 'invalid') {
        this.succeeded(0);
        if (rows.length > 1) {
          if (isRetry) this.retrySingle = true;
          else {
            this.splitLimit = Math.max(1, Math.ceil(rows.length / 2));
            this.splitUntil = Math.max(this.splitUntil, lastSeq);
          }
        } else if (isRetry) {
          this.o.repo.commitRetry(this.id, [], [{ row: rows[0]!, reason: e.message }]);
        } else {
          this.o.repo.commitBatch(this.id, lastSeq, [{ row: rows[0]!, reason: e.message }]);
          this.cursor = Math.max(this.cursor, lastSeq);
          this.log.warn('event rejected as invalid (dead letter)', { eventId: rows[0]!.id, reason: e.message });
        }
        return;
      }
      const before = this.breaker.state;
      const wait = this.breaker.onFailure(this.now());
      if (this.lastError !== e.message || before !== this.breaker.state) this.log.warn('export delivery failed', { reason: e.message, kind: e.kind, breaker: this.breaker.state, retryInMs: wait });
      this.lastError = e.message;
      this.lastErrorKind = e.kind === 'config' ? 'config' : 'transient';
    } finally {
      clearTimeout(timer);
      this.inFlight = null;
    }
  }

  /** At start: connect once, so a wrong password or host shows up even before there is anything to send. */
  private async probe(): Promise<void> {
    const ac = new AbortController();
    this.inFlight = ac;
    const timer = setTimeout(() => ac.abort(), this.o.record.tuning.timeoutMs);
    try {
      await Promise.race([this.o.sink.test(ac.signal), rejectOnAbort(ac.signal)]);
    } catch (err) {
      if (!this.running) return;
      const e = err instanceof SinkError ? err : new SinkError('transient', (err as Error).message ?? String(err));
      if (e.kind === 'invalid') return;
      this.breaker.onFailure(this.now());
      this.lastError = e.message;
      this.lastErrorKind = e.kind === 'config' ? 'config' : 'transient';
      this.log.warn('export sink not reachable at start', { reason: e.message, kind: e.kind });
    } finally {
      clearTimeout(timer);
      this.inFlight = null;
    }
  }

  private succeeded(n: number): void {
    const now = this.now();
    if (this.breaker.state !== 'closed') this.log.info('export sink reachable again', { breaker: 'closed' });
    this.breaker.onSuccess(now);
    this.lastError = null;
    this.lastErrorKind = null;
    this.lastSuccessAt = now;
    this.delivered += n;
    if (n) this.recent.push({ at: now, n });
    while (this.recent.length && this.recent[0]!.at < now - RATE_WINDOW_MS) this.recent.shift();
  }

  private idle(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, Math.max(1, ms));
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    const fail = () => reject(new SinkError('transient', 'The sink did not answer in time.'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
