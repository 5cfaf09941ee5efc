import { monotonicFactory, ulid } from 'ulid';
import type { AnalyticsEvent } from '../../shared/domain/analytics';
import type { Box } from '../../shared/domain/detection';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from '../storage/database';

export type LedgerEventType = AnalyticsEvent['type'];

/** One event to append. `source` 'live' or `import:<footageKey>`. */
export interface LedgerEventInput {
  cameraId: string;
  ruleId: string;
  trackId: number;
  cls: string;
  type: LedgerEventType;
  /** Only for line.cross (required there). */
  direction?: 'in' | 'out';
  confidence: number;
  /** Frame wall-clock time, epoch ms. */
  frameMs: number;
  modelId?: string | null;
  /** Snapshot path relative to the snapshots dir (SnapshotStore.relativePath), or null. */
  snapshot?: string | null;
  box?: Box;
  /** Extra figures (dwell seconds, occupancy). */
  detail?: Record<string, number>;
  source: 'live' | `import:${string}`;
  /** Deterministic identity; defaults to dedupeKeyOf(input). */
  dedupeKey?: string;
  /** Pre-assigned ULID (e.g. so the snapshot file name is known before insert). */
  id?: string;
}

/** A ledger row with corrections applied and amendment marks. */
export interface LedgerRow {
  id: string;
  cameraId: string;
  ruleId: string;
  trackId: number;
  type: LedgerEventType;
  direction: 'in' | 'out' | null;
  cls: string;
  count: number;
  confidence: number;
  frameAt: string;
  frameMs: number;
  modelId: string | null;
  snapshot: string | null;
  source: string;
  voided: boolean;
  corrected: boolean;
  originalDirection: 'in' | 'out' | null;
  originalCls: string;
  /** Who voided it, why and when (ISO); null unless voided (by is null when no account was signed in). */
  voidedBy: string | null;
  voidReason: string | null;
  voidedAt: string | null;
  /** Who made the latest correction, why and when (ISO); null unless corrected. */
  correctedBy: string | null;
  correctionReason: string | null;
  correctedAt: string | null;
}

/** What an amendment says about its event: who, why, when. */
interface AmendmentMark {
  by: string | null;
  reason: string;
  at: string;
}

export interface LedgerListFilter {
  cameraId?: string;
  ruleId?: string;
  types?: LedgerEventType[];
  fromMs?: number;
  toMs?: number;
  /** Rows with an id strictly below this (newest-first paging). */
  beforeId?: string;
  limit?: number;
  includeVoided?: boolean;
}

export interface RuleTotals {
  cameraId: string;
  ruleId: string;
  in: number;
  out: number;
  enter: number;
  exit: number;
  /** Enter − exit since the rule's last occupancy reset, at `toMs` (never below 0). */
  occupancy: number;
  alarms: number;
}

interface MarkedRow {
  id: string;
  camera_id: string;
  rule_id: string;
  track_id: number;
  type: LedgerEventType;
  direction: 'in' | 'out' | null;
  cls: string;
  count: number;
  confidence: number;
  frame_at: string;
  frame_ms: number;
  model_id: string | null;
  snapshot: string | null;
  source: string;
  voided: number;
  corrections: number;
  original_direction: 'in' | 'out' | null;
  original_cls: string;
}

/** Deterministic identity of an event: source + camera (live only) + rule + track + type + dir + frame time. */
export function dedupeKeyOf(e: Pick<LedgerEventInput, 'source' | 'cameraId' | 'ruleId' | 'trackId' | 'type' | 'direction' | 'frameMs'>, frameKey: number = e.frameMs): string {
  const scope = e.source === 'live' ? `live|${e.cameraId}` : e.source;
  return [scope, e.ruleId, e.trackId, e.type, e.direction ?? '-', frameKey].join('|');
}

const monotonic = monotonicFactory();
let lastMs = -1;
/**
 * A time-sortable id seeded with the event's frame time: monotonic within one millisecond, and an older frame
 * (an import of old footage) gets an older id (the ulid monotonic factory would reuse the latest time instead).
 */
export function ledgerId(frameMs: number): string {
  const ms = Math.max(0, Math.floor(frameMs));
  if (ms < lastMs) return ulid(ms);
  lastMs = ms;
  return monotonic(ms);
}

/** Append-only event ledger: inserts, amendments, resets, and derived totals. */
export class LedgerRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    /** Called inside the insert transaction for each new row (the export outbox writes its copy there). */
    private readonly onInsertedInTx?: (db: Db, row: LedgerEventInput & { id: string }) => void,
  ) {}

  /**
   * Appends events in one transaction; duplicates (same dedupe_key) are skipped. Returns the rows actually
   * inserted (with their ids), in input order.
   */
  append(events: readonly LedgerEventInput[]): Array<LedgerEventInput & { id: string }> {
    const stmt = this.db.prepare(
      `INSERT INTO ledger_events (id, camera_id, rule_id, track_id, cls, type, direction, confidence, frame_at, frame_ms,
         model_id, snapshot, box, detail, source, dedupe_key, created_at)
       VALUES (@id, @camera_id, @rule_id, @track_id, @cls, @type, @direction, @confidence, @frame_at, @frame_ms,
         @model_id, @snapshot, @box, @detail, @source, @dedupe_key, @created_at)
       ON CONFLICT (dedupe_key) DO NOTHING`,
    );
    const createdAt = this.now().toISOString();
    return this.db.transaction(() => {
      const inserted: Array<LedgerEventInput & { id: string }> = [];
      for (const e of events) {
        const id = e.id ?? ledgerId(e.frameMs);
        const r = stmt.run({
          id,
          camera_id: e.cameraId,
          rule_id: e.ruleId,
          track_id: Math.trunc(e.trackId),
          cls: e.cls,
          type: e.type,
          direction: e.type === 'line.cross' ? (e.direction ?? null) : null,
          confidence: e.confidence,
          frame_at: new Date(e.frameMs).toISOString(),
          frame_ms: Math.round(e.frameMs),
          model_id: e.modelId ?? null,
          snapshot: e.snapshot ?? null,
          box: e.box ? JSON.stringify(e.box) : null,
          detail: e.detail && Object.keys(e.detail).length ? JSON.stringify(e.detail) : null,
          source: e.source,
          dedupe_key: e.dedupeKey ?? dedupeKeyOf(e),
          created_at: createdAt,
        });
        if (r.changes > 0) {
          inserted.push({ ...e, id });
          this.onInsertedInTx?.(this.db, { ...e, id });
        }
      }
      return inserted;
    })();
  }

  get(id: string): LedgerRow | undefined {
    const r = this.db.prepare('SELECT * FROM ledger_marked WHERE id = ?').get(id) as MarkedRow | undefined;
    return r ? this.withMarks([r])[0] : undefined;
  }

  /** Newest first. */
  list(f: LedgerListFilter = {}): LedgerRow[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    const add = (clause: string, name: string, value: unknown) => {
      where.push(clause);
      args[name] = value;
    };
    if (f.cameraId) add('camera_id = @cameraId', 'cameraId', f.cameraId);
    if (f.ruleId) add('rule_id = @ruleId', 'ruleId', f.ruleId);
    if (f.fromMs !== undefined) add('frame_ms >= @fromMs', 'fromMs', Math.floor(f.fromMs));
    if (f.toMs !== undefined) add('frame_ms < @toMs', 'toMs', Math.ceil(f.toMs));
    if (f.beforeId) add('id < @beforeId', 'beforeId', f.beforeId);
    if (f.types?.length) {
      where.push(`type IN (${f.types.map((_, i) => `@t${i}`).join(', ')})`);
      f.types.forEach((t, i) => (args[`t${i}`] = t));
    }
    const view = f.includeVoided === false ? 'ledger_effective' : 'ledger_marked';
    const limit = Math.max(1, Math.min(1000, Math.floor(f.limit ?? 100)));
    const sql = `SELECT * FROM ${view} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ${limit}`;
    return this.withMarks(this.db.prepare(sql).all(args) as MarkedRow[]);
  }

  /**
   * Rows with who voided or corrected them, why and when: one query over the amendments of the amended rows of
   * the page (most rows have none, so most pages add no query at all).
   */
  private withMarks(rows: readonly MarkedRow[]): LedgerRow[] {
    const amended = rows.filter((r) => r.voided === 1 || r.corrections > 0).map((r) => r.id);
    const voids = new Map<string, AmendmentMark>();
    const corrections = new Map<string, AmendmentMark>();
    if (amended.length) {
      const marks = this.db
        .prepare(`SELECT event_id, kind, reason, by_user, at FROM ledger_amendments WHERE event_id IN (${amended.map(() => '?').join(', ')}) ORDER BY id`)
        .all(...amended) as Array<{ event_id: string; kind: 'void' | 'correct'; reason: string; by_user: string | null; at: string }>;
      // Ordered by id (time-sortable): the latest correction of each event is the last one set.
      for (const m of marks) (m.kind === 'void' ? voids : corrections).set(m.event_id, { by: m.by_user, reason: m.reason, at: m.at });
    }
    return rows.map((r) => toRow(r, voids.get(r.id), corrections.get(r.id)));
  }

  /** Voids an event (reason required). Throws not-found / conflict / invalid-input; nothing changes then. */
  void(eventId: string, reason: string, by: string | null = null): LedgerRow {
    return this.amend(eventId, 'void', reason, by, {});
  }

  /** Appends a correction (direction and/or class and/or count). */
  correct(eventId: string, reason: string, fields: { direction?: 'in' | 'out'; cls?: string; count?: number }, by: string | null = null): LedgerRow {
    if (fields.direction === undefined && fields.cls === undefined && fields.count === undefined) {
      throw new AppErrorException('invalid-input', 'A correction must change the direction, the class or the count.');
    }
    return this.amend(eventId, 'correct', reason, by, fields);
  }

  /** Marks a zone's occupancy as zero from `atMs` on (append-only). */
  resetOccupancy(cameraId: string, ruleId: string, reason: string, atMs: number = this.now().getTime(), by: string | null = null): void {
    if (!reason.trim()) throw new AppErrorException('invalid-input', 'Give a reason for resetting the occupancy.');
    this.db
      .prepare('INSERT INTO ledger_resets (id, camera_id, rule_id, at_ms, reason, by_user, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(ledgerId(atMs), cameraId, ruleId, Math.round(atMs), reason.trim(), by, this.now().toISOString());
  }

  /** Counts per (camera, rule) over [fromMs, toMs) from the effective view; occupancy at toMs (default now). */
  totals(f: { cameraId?: string; ruleId?: string; fromMs?: number; toMs?: number } = {}): RuleTotals[] {
    const toMs = Math.ceil(f.toMs ?? this.now().getTime());
    const args = { cameraId: f.cameraId ?? null, ruleId: f.ruleId ?? null, fromMs: Math.floor(f.fromMs ?? 0), toMs };
    const scope = '(@cameraId IS NULL OR camera_id = @cameraId) AND (@ruleId IS NULL OR rule_id = @ruleId)';
    const counts = this.db
      .prepare(
        `SELECT camera_id, rule_id,
           SUM(CASE WHEN type = 'line.cross' AND direction = 'in' THEN count ELSE 0 END) AS n_in,
           SUM(CASE WHEN type = 'line.cross' AND direction = 'out' THEN count ELSE 0 END) AS n_out,
           SUM(CASE WHEN type = 'zone.enter' THEN count ELSE 0 END) AS n_enter,
           SUM(CASE WHEN type = 'zone.exit' THEN count ELSE 0 END) AS n_exit,
           SUM(CASE WHEN type IN ('zone.loiter', 'zone.intrusion', 'zone.overcrowd') THEN count ELSE 0 END) AS n_alarms
         FROM ledger_effective WHERE ${scope} AND frame_ms >= @fromMs AND frame_ms < @toMs
         GROUP BY camera_id, rule_id`,
      )
      .all(args) as Array<{ camera_id: string; rule_id: string; n_in: number; n_out: number; n_enter: number; n_exit: number; n_alarms: number }>;
    const occ = this.db
      .prepare(
        `SELECT e.camera_id, e.rule_id, SUM(CASE e.type WHEN 'zone.enter' THEN e.count ELSE -e.count END) AS occ
         FROM ledger_effective e
         WHERE ${scope.replace(/camera_id/g, 'e.camera_id').replace(/rule_id/g, 'e.rule_id')}
           AND e.type IN ('zone.enter', 'zone.exit') AND e.frame_ms < @toMs
           AND e.frame_ms >= COALESCE((SELECT MAX(r.at_ms) FROM ledger_resets r
                 WHERE r.camera_id = e.camera_id AND r.rule_id = e.rule_id AND r.at_ms <= @toMs), 0)
         GROUP BY e.camera_id, e.rule_id`,
      )
      .all(args) as Array<{ camera_id: string; rule_id: string; occ: number }>;
    const key = (c: string, r: string) => `${c}\u0000${r}`;
    const out = new Map<string, RuleTotals>();
    const get = (c: string, r: string): RuleTotals => {
      let t = out.get(key(c, r));
      if (!t) out.set(key(c, r), (t = { cameraId: c, ruleId: r, in: 0, out: 0, enter: 0, exit: 0, occupancy: 0, alarms: 0 }));
      return t;
    };
    for (const c of counts) Object.assign(get(c.camera_id, c.rule_id), { in: c.n_in, out: c.n_out, enter: c.n_enter, exit: c.n_exit, alarms: c.n_alarms });
    for (const o of occ) get(o.camera_id, o.rule_id).occupancy = Math.max(0, o.occ);
    return [...out.values()].sort((a, b) => a.cameraId.localeCompare(b.cameraId) || a.ruleId.localeCompare(b.ruleId));
  }

  private amend(eventId: string, kind: 'void' | 'correct', reason: string, by: string | null, fields: { direction?: 'in' | 'out'; cls?: string; count?: number }): LedgerRow {
    if (!reason.trim()) throw new AppErrorException('invalid-input', kind === 'void' ? 'Give a reason for voiding this event.' : 'Give a reason for this correction.');
    return this.db.transaction(() => {
      const current = this.get(eventId);
      if (!current) throw new AppErrorException('not-found', 'This event does not exist.');
      if (current.voided) throw new AppErrorException('conflict', 'This event has already been voided.');
      if (fields.direction !== undefined && current.type !== 'line.cross') {
        throw new AppErrorException('invalid-input', 'Only line crossings have a direction.');
      }
      if (kind === 'correct' && !changes(current, fields)) {
        throw new AppErrorException('invalid-input', 'This event already reads that way: change the direction, the class or the count.');
      }
      const at = this.now();
      this.db
        .prepare('INSERT INTO ledger_amendments (id, event_id, kind, direction, cls, count, reason, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(ledgerId(at.getTime()), eventId, kind, fields.direction ?? null, fields.cls ?? null, fields.count ?? null, reason.trim(), by, at.toISOString());
      return this.get(eventId)!;
    })();
  }
}

/** Whether a correction changes at least one of the event's effective figures. */
function changes(current: LedgerRow, fields: { direction?: 'in' | 'out'; cls?: string; count?: number }): boolean {
  return (
    (fields.direction !== undefined && fields.direction !== current.direction) ||
    (fields.cls !== undefined && fields.cls !== current.cls) ||
    (fields.count !== undefined && fields.count !== current.count)
  );
}

function toRow(r: MarkedRow, voided: AmendmentMark | undefined, corrected: AmendmentMark | undefined): LedgerRow {
  return {
    id: r.id,
    cameraId: r.camera_id,
    ruleId: r.rule_id,
    trackId: r.track_id,
    type: r.type,
    direction: r.direction,
    cls: r.cls,
    count: r.count,
    confidence: r.confidence,
    frameAt: r.frame_at,
    frameMs: r.frame_ms,
    modelId: r.model_id,
    snapshot: r.snapshot,
    source: r.source,
    voided: r.voided === 1,
    corrected: r.corrections > 0,
    originalDirection: r.original_direction,
    originalCls: r.original_cls,
    voidedBy: voided?.by ?? null,
    voidReason: voided?.reason ?? null,
    voidedAt: voided?.at ?? null,
    correctedBy: corrected?.by ?? null,
    correctionReason: corrected?.reason ?? null,
    correctedAt: corrected?.at ?? null,
  };
}
