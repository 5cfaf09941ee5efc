import { ulid } from 'ulid';
import { Emitter } from '../../shared/events/emitter';
import type { CameraState } from '../../shared/domain/camera';
import { backlogCountThreshold, type DeadLetter, type ExportSinkSettings, type ExportSinkView } from '../../shared/domain/export';
import type { ComponentHealth } from '../../shared/domain/health';
import { AppErrorException } from '../../shared/ipc/envelope';
import { maskUrlCredentials, restoreMaskedCredentials } from '../../shared/url-masking';
import type { AlarmChange } from '../alarms/alarm-store';
import { backlogPastThreshold, outboxNearCap, type ExportHealthFacts } from '../alarms/system-health';
import type { LedgerEventInput } from '../ledger/ledger.repository';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import type { SecretBox } from '../storage/secret-box';
import { HttpsSink } from './https-sink';
import { MqttSink } from './mqtt-sink';
import { alarmOutboxItem, ledgerOutboxItem } from './ledger-outbox';
import { Outbox, type OutboxOptions } from './outbox';
import { PostgresSink } from './postgres-sink';
import { SinkError, type Sink } from './sink';
import { SinkRepository, type SinkRecord } from './sink.repository';
import { SinkRunner } from './sink-runner';
import type { AuditHeadRef } from '../audit/audit-seal';

export interface ExportServiceOptions {
  db: Db;
  secretBox: SecretBox;
  logger: Logger;
  outbox?: OutboxOptions;
  /** Outbox pruning / cap check period, ms (default 10 000). */
  maintenanceMs?: number;
  /** Idle poll of a runner with nothing to send, ms (default 1000). */
  idleMs?: number;
  /** First backoff after a failure, ms (default 500). */
  baseBackoffMs?: number;
  /** Builds the sink of a record (tests may wrap it). */
  sinkFactory?: (r: SinkRecord) => Sink;
  now?: () => number;
  /** The audit trail's head, carried in every batch of every sink (AuditTrail.head): an outside witness of how far the trail reached. */
  auditHead?: () => AuditHeadRef | null;
}

/** The sink of a stored record. */
export function createSink(r: SinkRecord): Sink {
  const t = r.target;
  switch (t.kind) {
    case 'https':
      return new HttpsSink({ sinkId: r.id, site: r.site, url: t.url, auth: t.auth, secret: r.secret, caPem: t.caPem });
    case 'mqtt':
      return new MqttSink({ sinkId: r.id, site: r.site, url: t.url, username: t.username, password: r.secret, topicPrefix: t.topicPrefix, caPem: t.caPem, connectTimeoutMs: r.tuning.timeoutMs });
    case 'postgres':
      return new PostgresSink({ site: r.site, host: t.host, port: t.port, database: t.database, user: t.user, password: r.secret, schema: t.schema, ssl: t.ssl, caPem: t.caPem, timeoutMs: r.tuning.timeoutMs });
  }
}

/**
 * Store-and-forward export: sinks (configuration, secrets sealed), the outbox, one delivery loop per enabled
 * sink, dead letters, replay and health. Runs in the engine process; each loop yields between bounded batches.
 */
export class ExportService {
  readonly outbox: Outbox;
  readonly repo: SinkRepository;
  private readonly runners = new Map<string, SinkRunner>();
  private readonly lastCameraState = new Map<string, string>();
  private readonly healthFactsEmitter: Emitter<[facts: ExportHealthFacts]>;
  private readonly log: Logger;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly now: () => number;

  constructor(private readonly o: ExportServiceOptions) {
    this.now = o.now ?? Date.now;
    this.log = o.logger.child({ component: 'export' });
    this.healthFactsEmitter = new Emitter({ name: 'export health', log: this.log });
    this.outbox = new Outbox(o.db, { now: this.now, logger: this.log, ...o.outbox });
    this.repo = new SinkRepository(o.db, o.secretBox, () => new Date(this.now()));
  }

  /** Hook for the ledger: called inside the ledger's insert transaction with each new row. */
  readonly onLedgerRowInTx = (db: Db, row: LedgerEventInput & { id: string }): void => {
    this.outbox.enqueueInTx(db, ledgerOutboxItem(row));
  };

  /** Hook for the alarm store: called inside each alarm transition's transaction. */
  readonly onAlarmTransitionInTx = (db: Db, change: AlarmChange): void => {
    this.outbox.enqueueInTx(db, alarmOutboxItem(change));
  };

  /**
   * Called at each maintenance pass with the outbox fill and every sink's backlog, after the lossless pruning and
   * BEFORE the cap is enforced (the engine raises the system alarms from them, so the outbox-near-cap alarm is
   * open before anything is dropped). A listener's throw is logged and does not stop the maintenance.
   */
  onHealthFacts(listener: (f: ExportHealthFacts) => void): () => void {
    const sub = this.healthFactsEmitter.on(listener);
    return () => sub.dispose();
  }

  /** The figures the system alarms are judged from. */
  healthFacts(): ExportHealthFacts {
    const ob = this.outbox.status();
    return {
      outbox: { rows: ob.rows, undelivered: ob.undelivered, cap: ob.cap, warnRatio: ob.warnRatio, droppedTotal: ob.droppedTotal },
      sinks: this.repo.list().map((r) => {
        const st = this.statusOf(r);
        return { id: r.id, name: r.name, enabled: r.enabled, backlog: st.backlog, oldestAgeMs: st.oldestAgeMs, ageThresholdMs: r.tuning.backlogAlarmMinutes * 60_000, countThreshold: backlogCountThreshold(r.tuning) };
      }),
    };
  }

  start(): void {
    this.unsubscribe = this.outbox.onEnqueued(() => this.runners.forEach((r) => r.wake()));
    for (const r of this.repo.list()) if (r.enabled) this.startRunner(r);
    this.timer = setInterval(() => this.maintain(), this.o.maintenanceMs ?? 10_000);
    this.timer.unref();
    this.maintain();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    const all = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(all.map((r) => r.stop()));
  }

  /** A camera's lifecycle state changed: exported as `camera.status` when its type changed. */
  cameraState(cameraId: string, state: CameraState): void {
    if (this.lastCameraState.get(cameraId) === state.type) return;
    this.lastCameraState.set(cameraId, state.type);
    const data: Record<string, unknown> = { state: state.type };
    if ('reason' in state) data.reason = state.reason;
    if ('attempt' in state) data.attempt = state.attempt;
    try {
      this.outbox.enqueue([{ id: ulid(), type: 'camera.status', cameraId, ruleId: null, atMs: this.now(), data }]);
    } catch (err) {
      this.log.error('camera status not queued for export', { err, cameraId });
    }
  }

  list(): ExportSinkView[] {
    return this.repo.list().map((r) => this.view(r));
  }

  save(input: ExportSinkSettings): ExportSinkView {
    const rec = this.repo.save(this.withSavedCredentials(input), this.outbox.maxSeq());
    this.outbox.invalidateFilters();
    this.log.info(input.id ? 'export sink updated' : 'export sink added', { sink: rec.id, kind: rec.target.kind, enabled: rec.enabled });
    void this.restartRunner(rec.id);
    return this.view(rec);
  }

  async remove(id: string): Promise<{ id: string }> {
    const r = this.runners.get(id);
    this.runners.delete(id);
    await r?.stop();
    if (!this.repo.remove(id)) throw new AppErrorException('not-found', 'This sink does not exist (any more).');
    this.outbox.invalidateFilters();
    this.log.info('export sink removed', { sink: id });
    return { id };
  }

  /** Connects with the saved settings and says plainly what is wrong, if anything. */
  async test(id: string): Promise<{ ok: boolean; message: string }> {
    const rec = this.mustGet(id);
    const sink = (this.o.sinkFactory ?? createSink)(rec);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), rec.tuning.timeoutMs);
    try {
      await sink.test(ac.signal);
      return { ok: true, message: 'Connected: the sink accepts events.' };
    } catch (err) {
      const message = err instanceof SinkError ? err.message : ac.signal.aborted ? 'The sink did not answer in time.' : `Failed: ${(err as Error).message}`;
      return { ok: false, message };
    } finally {
      clearTimeout(timer);
      await sink.close().catch(() => undefined);
    }
  }

  deadLetters(sinkId: string, limit?: number): DeadLetter[] {
    this.mustGet(sinkId);
    return this.repo.deadLetters(sinkId, limit);
  }

  retryDeadLetters(sinkId: string, eventIds?: string[]): { queued: number } {
    this.mustGet(sinkId);
    const queued = this.repo.requestRetry(sinkId, eventIds);
    this.runners.get(sinkId)?.wake();
    this.log.info('dead letters queued for retry', { sink: sinkId, queued });
    return { queued };
  }

  /** Sends again every retained outbox event from `fromMs` on (the receiver ignores what it already has). */
  replay(sinkId: string, fromMs: number): { fromSeq: number; oldestAvailableAt: string | null } {
    this.mustGet(sinkId);
    const cursor = this.outbox.cursorForReplay(fromMs);
    const runner = this.runners.get(sinkId);
    if (runner) runner.rewind(cursor);
    else this.repo.setCursor(sinkId, cursor);
    const oldest = this.outbox.oldestAtMs();
    this.log.info('export replay requested', { sink: sinkId, from: new Date(fromMs).toISOString(), cursor });
    return { fromSeq: cursor + 1, oldestAvailableAt: oldest === null ? null : new Date(oldest).toISOString() };
  }

  /** The breaker's state changes of a running sink (diagnostics and tests). */
  breakerHistory(sinkId: string): { state: string; at: number }[] {
    return [...(this.runners.get(sinkId)?.breaker.history ?? [])];
  }

  /** One health row per sink, plus the outbox (fill against its cap). */
  health(): ComponentHealth[] {
    const out: ComponentHealth[] = [];
    const ob = this.outbox.status();
    const sinks = this.repo.list();
    if (sinks.length || ob.rows) {
      // The same measure as the outbox-near-cap alarm: undelivered rows against the cap.
      const near = outboxNearCap(ob);
      const level = ob.droppedTotal > 0 && near ? 'unhealthy' : near ? 'degraded' : 'healthy';
      const detail = near
        ? `Export outbox ${Math.round((ob.undelivered / ob.cap) * 100)} % full of undelivered events (${ob.undelivered} of ${ob.cap}; ${ob.rows} held): at the cap the oldest undelivered events are dropped from the outbox (the ledger keeps them).${ob.droppedTotal ? ` ${ob.droppedTotal} dropped so far.` : ''}`
        : `${ob.rows} events held for export (${ob.undelivered} undelivered).`;
      out.push({ id: 'export:outbox', kind: 'exporter', name: 'Export outbox', level, detail, metrics: {} });
    }
    for (const r of sinks) {
      const s = this.statusOf(r);
      let level: ComponentHealth['level'] = 'healthy';
      let detail = `${s.delivered} delivered; backlog ${s.backlog}.`;
      if (!r.enabled) detail = `Paused by an admin; backlog ${s.backlog}.`;
      else if (s.lastError) {
        level = s.alarm || s.lastErrorKind === 'config' ? 'unhealthy' : 'degraded';
        detail = `${maskUrlCredentials(s.lastError)} Backlog ${s.backlog}${s.oldestAgeMs !== null ? `, oldest ${formatAge(s.oldestAgeMs)}` : ''}; nothing is lost.`;
      } else if (s.alarm) {
        level = 'degraded';
        const count = backlogCountThreshold(r.tuning);
        detail = `Backlog ${s.backlog}, oldest ${formatAge(s.oldestAgeMs ?? 0)} (alarm past ${r.tuning.backlogAlarmMinutes} min${count ? ` or ${count} events` : ''}).`;
      }
      if (s.dropped) {
        level = 'unhealthy';
        detail += ` ${s.dropped} events dropped at the outbox cap.`;
      }
      out.push({ id: `export:${r.id}`, kind: 'exporter', name: `Export: ${r.name}`, level, detail, metrics: {} });
    }
    return out;
  }

  /**
   * One maintenance pass (every `maintenanceMs`, and at start): lossless pruning, then the health figures to the
   * listeners (system alarms: a backlog past a sink's threshold, the outbox near its cap), then the cap policy.
   */
  maintain(): void {
    try {
      const pruned = this.outbox.prune();
      if (pruned) this.log.debug('export outbox pruned', { pruned });
    } catch (err) {
      this.log.error('export outbox pruning failed', { err });
    }
    try {
      const facts = this.healthFacts();
      if (outboxNearCap(facts.outbox)) this.log.warn('export outbox nearly full', { rows: facts.outbox.rows, cap: facts.outbox.cap });
      this.healthFactsEmitter.emit(facts);
    } catch (err) {
      this.log.error('export health figures failed', { err });
    }
    try {
      const { dropped } = this.outbox.enforceCap();
      if (dropped) this.log.error('export outbox over its cap: oldest undelivered events dropped', { dropped, cap: this.outbox.cap });
    } catch (err) {
      this.log.error('export outbox cap enforcement failed', { err });
    }
  }

  private statusOf(r: SinkRecord): ExportSinkView['status'] {
    const runner = this.runners.get(r.id);
    if (runner) return runner.status();
    const backlog = Math.max(0, this.outbox.maxSeq() - r.cursor);
    const oldest = backlog ? this.outbox.oldestCreatedAfter(r.cursor) : null;
    const oldestAgeMs = oldest === null ? null : Math.max(0, this.now() - oldest);
    return {
      sinkId: r.id,
      breaker: 'closed',
      backlog,
      oldestAgeMs,
      delivered: 0,
      ratePerSec: 0,
      deadLetters: this.repo.deadLetterCount(r.id),
      dropped: r.dropped,
      lastError: null,
      lastErrorKind: null,
      lastSuccessAt: null,
      nextAttemptAt: null,
      alarm: r.enabled && backlogPastThreshold({ backlog, oldestAgeMs, ageThresholdMs: r.tuning.backlogAlarmMinutes * 60_000, countThreshold: backlogCountThreshold(r.tuning) }),
    };
  }

  /** A sink as the renderer sees it: credentials in its URL masked like a camera's (never the secret). */
  private view(r: SinkRecord): ExportSinkView {
    const target = r.target.kind === 'postgres' ? r.target : { ...r.target, url: maskUrlCredentials(r.target.url) };
    const status = this.statusOf(r);
    return { id: r.id, name: r.name, enabled: r.enabled, site: r.site, target, filters: r.filters, tuning: r.tuning, secretSet: r.secret !== '', createdAt: r.createdAt, updatedAt: r.updatedAt, status: status.lastError ? { ...status, lastError: maskUrlCredentials(status.lastError) } : status };
  }

  /** An edit that sends the masked URL back (`***`) keeps the saved credentials, only for the same address. */
  private withSavedCredentials(input: ExportSinkSettings): ExportSinkSettings {
    if (input.target.kind === 'postgres') return input;
    const current = input.id ? this.repo.get(input.id) : undefined;
    const saved = current && current.target.kind !== 'postgres' ? current.target.url : '';
    const r = restoreMaskedCredentials(input.target.url, saved);
    if (!r.ok) throw new AppErrorException('invalid-input', r.why === 'no-saved' ? 'There is no saved password to keep: type it in the URL.' : 'The address or user name changed: type the password again.');
    return r.url === input.target.url ? input : { ...input, target: { ...input.target, url: r.url } };
  }

  private mustGet(id: string): SinkRecord {
    const r = this.repo.get(id);
    if (!r) throw new AppErrorException('not-found', 'This sink does not exist (any more).');
    return r;
  }

  private startRunner(r: SinkRecord): void {
    const runner = new SinkRunner({ record: r, sink: (this.o.sinkFactory ?? createSink)(r), outbox: this.outbox, repo: this.repo, logger: this.log, now: this.now, idleMs: this.o.idleMs, baseBackoffMs: this.o.baseBackoffMs, auditHead: this.o.auditHead });
    this.runners.set(r.id, runner);
    runner.start();
  }

  private async restartRunner(id: string): Promise<void> {
    if (!this.timer) return; // not started (or stopped): no delivery loops
    const old = this.runners.get(id);
    this.runners.delete(id);
    await old?.stop();
    const rec = this.repo.get(id);
    if (rec?.enabled && !this.runners.has(id) && this.timer) this.startRunner(rec);
  }
}

function formatAge(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7200_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${Math.round(ms / 3600_000)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
}
