import { ulid } from 'ulid';
import { ExportTuningSchema, type DeadLetter, type ExportEventType, type ExportFilters, type ExportSinkSettings, type ExportTarget, type ExportTuning } from '../../shared/domain/export';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from '../storage/database';
import type { SecretBox } from '../storage/secret-box';
import type { OutboxRow } from './outbox';

const TUNING_DEFAULTS: ExportTuning = ExportTuningSchema.parse({});

/** A stored sink, with its secret opened (engine-side only; never sent to the renderer). */
export interface SinkRecord {
  id: string;
  name: string;
  enabled: boolean;
  site: string;
  target: ExportTarget;
  filters: ExportFilters;
  tuning: ExportTuning;
  /** Bearer token / HMAC key / password; '' when none. */
  secret: string;
  cursor: number;
  dropped: number;
  createdAt: string;
  updatedAt: string;
}

interface RawSink {
  id: string;
  name: string;
  kind: string;
  enabled: number;
  site: string;
  target: string;
  filters: string;
  tuning: string;
  secret: string | null;
  cursor: number;
  dropped: number;
  created_at: string;
  updated_at: string;
}

interface RawDead {
  sink_id: string;
  event_id: string;
  seq: number;
  type: ExportEventType;
  camera_id: string | null;
  rule_id: string | null;
  at_ms: number;
  data: string;
  reason: string;
  attempts: number;
  state: 'dead' | 'retry';
  dead_at: string;
}

/** Sinks, their cursors and their dead letters. Secrets are sealed with the SecretBox at rest. */
export class SinkRepository {
  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(): SinkRecord[] {
    return (this.db.prepare('SELECT * FROM export_sinks ORDER BY name').all() as RawSink[]).map((r) => this.toRecord(r));
  }

  get(id: string): SinkRecord | undefined {
    const r = this.db.prepare('SELECT * FROM export_sinks WHERE id = ?').get(id) as RawSink | undefined;
    return r ? this.toRecord(r) : undefined;
  }

  /** Inserts (cursor = `startCursor`, i.e. new sinks get events from now on) or updates a sink. */
  save(s: ExportSinkSettings, startCursor: number): SinkRecord {
    const at = this.now().toISOString();
    const current = s.id ? this.get(s.id) : undefined;
    if (s.id && !current) throw new AppErrorException('not-found', 'This sink does not exist (any more).');
    const secret = s.secret === undefined ? (current?.secret ?? '') : s.secret;
    const sealed = secret ? this.box.seal(secret) : null;
    try {
      if (current) {
        this.db
          .prepare('UPDATE export_sinks SET name = ?, kind = ?, enabled = ?, site = ?, target = ?, filters = ?, tuning = ?, secret = ?, updated_at = ? WHERE id = ?')
          .run(s.name, s.target.kind, s.enabled ? 1 : 0, s.site, JSON.stringify(s.target), JSON.stringify(s.filters), JSON.stringify(s.tuning), sealed, at, current.id);
        return this.get(current.id)!;
      }
      const id = ulid();
      this.db
        .prepare(
          `INSERT INTO export_sinks (id, name, kind, enabled, site, target, filters, tuning, secret, cursor, dropped, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
        )
        .run(id, s.name, s.target.kind, s.enabled ? 1 : 0, s.site, JSON.stringify(s.target), JSON.stringify(s.filters), JSON.stringify(s.tuning), sealed, startCursor, at, at);
      return this.get(id)!;
    } catch (err) {
      if (err instanceof Error && /UNIQUE constraint failed: export_sinks.name/.test(err.message)) {
        throw new AppErrorException('conflict', `A sink named "${s.name}" already exists.`);
      }
      throw err;
    }
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM export_sinks WHERE id = ?').run(id).changes > 0;
  }

  cursorOf(id: string): number {
    const r = this.db.prepare('SELECT cursor FROM export_sinks WHERE id = ?').get(id) as { cursor: number } | undefined;
    return r?.cursor ?? 0;
  }

  droppedOf(id: string): number {
    const r = this.db.prepare('SELECT dropped FROM export_sinks WHERE id = ?').get(id) as { dropped: number } | undefined;
    return r?.dropped ?? 0;
  }

  /**
   * Records a delivered batch in one transaction: the cursor moves to `toSeq` (never backwards, unless `rewind`),
   * rejected events go to dead letter. Only after this commits is the batch "done": a crash before it means the
   * batch is sent again (at least once), which the sink side absorbs by event id.
   */
  commitBatch(sinkId: string, toSeq: number, rejected: ReadonlyArray<{ row: OutboxRow; reason: string }>): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare('UPDATE export_sinks SET cursor = MAX(cursor, ?) WHERE id = ?').run(toSeq, sinkId);
      const ins = this.db.prepare(
        `INSERT INTO export_dead_letters (sink_id, event_id, seq, type, camera_id, rule_id, at_ms, data, reason, attempts, state, dead_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'dead', ?)
         ON CONFLICT (sink_id, event_id) DO UPDATE SET reason = excluded.reason, attempts = attempts + 1, state = 'dead', dead_at = excluded.dead_at`,
      );
      for (const { row, reason } of rejected) ins.run(sinkId, row.id, row.seq, row.type, row.cameraId, row.ruleId, row.atMs, JSON.stringify(row.data), reason.slice(0, 500), at);
    })();
  }

  /** Moves the cursor (replay-from-date). */
  setCursor(sinkId: string, cursor: number): void {
    this.db.prepare('UPDATE export_sinks SET cursor = ? WHERE id = ?').run(Math.max(0, cursor), sinkId);
  }

  deadLetters(sinkId: string, limit = 200): DeadLetter[] {
    const rows = this.db.prepare('SELECT * FROM export_dead_letters WHERE sink_id = ? ORDER BY seq LIMIT ?').all(sinkId, Math.max(1, Math.min(1000, limit))) as RawDead[];
    return rows.map((r) => ({ sinkId: r.sink_id, eventId: r.event_id, type: r.type, cameraId: r.camera_id, at: new Date(r.at_ms).toISOString(), reason: r.reason, attempts: r.attempts, state: r.state, deadAt: r.dead_at }));
  }

  deadLetterCount(sinkId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM export_dead_letters WHERE sink_id = ?').get(sinkId) as { n: number }).n;
  }

  /** Queues dead letters for another attempt (all of the sink's, or the given ids). Returns how many. */
  requestRetry(sinkId: string, eventIds?: readonly string[]): number {
    if (!eventIds) return this.db.prepare("UPDATE export_dead_letters SET state = 'retry' WHERE sink_id = ? AND state = 'dead'").run(sinkId).changes;
    const stmt = this.db.prepare("UPDATE export_dead_letters SET state = 'retry' WHERE sink_id = ? AND event_id = ? AND state = 'dead'");
    return this.db.transaction(() => eventIds.reduce((n, id) => n + stmt.run(sinkId, id).changes, 0))();
  }

  /** Dead letters queued for retry, as outbox rows (oldest first). */
  retryBatch(sinkId: string, limit: number): OutboxRow[] {
    const rows = this.db.prepare("SELECT * FROM export_dead_letters WHERE sink_id = ? AND state = 'retry' ORDER BY seq LIMIT ?").all(sinkId, Math.max(1, limit)) as RawDead[];
    return rows.map((r) => ({ seq: r.seq, id: r.event_id, type: r.type, cameraId: r.camera_id, ruleId: r.rule_id, atMs: r.at_ms, data: JSON.parse(r.data) as Record<string, unknown>, createdMs: Date.parse(r.dead_at) }));
  }

  /** A retried batch went through: delivered ones leave dead letter, rejected ones go back to 'dead'. */
  commitRetry(sinkId: string, delivered: readonly string[], rejected: ReadonlyArray<{ row: OutboxRow; reason: string }>): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      const del = this.db.prepare('DELETE FROM export_dead_letters WHERE sink_id = ? AND event_id = ?');
      for (const id of delivered) del.run(sinkId, id);
      const back = this.db.prepare("UPDATE export_dead_letters SET state = 'dead', reason = ?, attempts = attempts + 1, dead_at = ? WHERE sink_id = ? AND event_id = ?");
      for (const { row, reason } of rejected) back.run(reason.slice(0, 500), at, sinkId, row.id);
    })();
  }

  private toRecord(r: RawSink): SinkRecord {
    let secret = '';
    if (r.secret) secret = this.box.open(r.secret);
    return {
      id: r.id,
      name: r.name,
      enabled: r.enabled === 1,
      site: r.site,
      target: JSON.parse(r.target) as ExportTarget,
      filters: JSON.parse(r.filters) as ExportFilters,
      // Settings saved by an older version lack newer tuning fields: their defaults apply.
      tuning: { ...TUNING_DEFAULTS, ...(JSON.parse(r.tuning) as Partial<ExportTuning>) },
      secret,
      cursor: r.cursor,
      dropped: r.dropped,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
