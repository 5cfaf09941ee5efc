import type { ExportEventType, ExportFilters, OutboxStatus } from '../../shared/domain/export';
import { filtersMatch } from '../../shared/domain/export';
import type Database from 'better-sqlite3';
import { Emitter } from '../../shared/events/emitter';
import { nullLogger, type Logger } from '../logging/logger';
import type { Db } from '../storage/database';

/** One event handed to the outbox. */
export interface OutboxItem {
  /** Unique event id (ULID): the ledger row's id, or a fresh one for alarm transitions and camera status. */
  id: string;
  type: ExportEventType;
  cameraId: string | null;
  ruleId: string | null;
  /** When it happened, epoch ms. */
  atMs: number;
  /** Type-specific fields, JSON-serialisable. */
  data: Record<string, unknown>;
}

/** An outbox row as the delivery loop reads it. */
export interface OutboxRow extends OutboxItem {
  seq: number;
  /** When it was written to the outbox, epoch ms. */
  createdMs: number;
}

interface RawRow {
  seq: number;
  event_id: string;
  type: ExportEventType;
  camera_id: string | null;
  rule_id: string | null;
  at_ms: number;
  data: string;
  created_ms: number;
}

export interface OutboxOptions {
  /**
   * Most rows the outbox holds. When the undelivered rows reach `warnRatio` of it, the outbox-near-cap alarm opens;
   * past it, the oldest rows are dropped (delivered ones first, then undelivered ones, counted per sink as dropped;
   * the ledger keeps its rows).
   */
  cap?: number;
  /** Undelivered fill ratio that raises the alarm (default 0.8). */
  warnRatio?: number;
  /** Delivered rows are kept this long for replay-from-date, ms (default 7 days). */
  retentionMs?: number;
  now?: () => number;
  /** Where a failing `onEnqueued` listener is reported (default: nowhere). */
  logger?: Logger;
}

export const DEFAULT_OUTBOX_CAP = 2_000_000;
const FILTER_CACHE_MS = 2000;

/**
 * The export outbox: written in the same SQLite transaction as the row an event stands for (`enqueueInTx`), read
 * by each sink from its own cursor, pruned from the head. Only events some configured sink subscribes to are
 * written.
 */
export class Outbox {
  readonly cap: number;
  readonly warnRatio: number;
  readonly retentionMs: number;
  private readonly now: () => number;
  private filters: ExportFilters[] | null = null;
  private filtersAt = 0;
  private readonly stmts = new WeakMap<Db, Database.Statement<unknown[]>>();
  private readonly enqueued: Emitter<[]>;

  constructor(
    private readonly db: Db,
    o: OutboxOptions = {},
  ) {
    this.cap = Math.max(10, Math.floor(o.cap ?? DEFAULT_OUTBOX_CAP));
    this.warnRatio = o.warnRatio ?? 0.8;
    this.retentionMs = o.retentionMs ?? 7 * 24 * 3600_000;
    this.now = o.now ?? Date.now;
    this.enqueued = new Emitter({ name: 'outbox enqueued', log: o.logger ?? nullLogger });
  }

  /**
   * Writes one event to the outbox on `db`, inside the caller's open transaction (e.g. the ledger append or an
   * alarm store's `onTransitionInTx` hook). Skips events no sink subscribes to and duplicates (same id).
   * Returns whether a row was written.
   */
  enqueueInTx(db: Db, item: OutboxItem): boolean {
    if (!this.subscribed(item)) return false;
    let stmt = this.stmts.get(db);
    if (!stmt) {
      stmt = db.prepare<unknown[]>(
        `INSERT INTO export_outbox (event_id, type, camera_id, rule_id, at_ms, data, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
      );
      this.stmts.set(db, stmt);
    }
    const r = stmt.run(item.id, item.type, item.cameraId, item.ruleId, Math.round(item.atMs), JSON.stringify(item.data), this.now());
    if (r.changes > 0) this.queueWake();
    return r.changes > 0;
  }

  /** Writes events in a transaction of their own. Returns how many were written. */
  enqueue(items: readonly OutboxItem[]): number {
    return this.db.transaction(() => items.reduce((n, it) => n + (this.enqueueInTx(this.db, it) ? 1 : 0), 0))();
  }

  /** Called (once per tick) after new rows were written. */
  onEnqueued(listener: () => void): () => void {
    const sub = this.enqueued.on(listener);
    return () => sub.dispose();
  }

  /** Sink filters changed: reload them before the next enqueue. */
  invalidateFilters(): void {
    this.filters = null;
  }

  /** Rows after `afterSeq`, oldest first. */
  read(afterSeq: number, limit: number): OutboxRow[] {
    const rows = this.db.prepare('SELECT * FROM export_outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, Math.max(1, Math.floor(limit))) as RawRow[];
    return rows.map(toRow);
  }

  /** Highest seq ever written (0 when none): new sinks start here. */
  maxSeq(): number {
    const r = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'export_outbox'").get() as { seq: number } | undefined;
    return r?.seq ?? 0;
  }

  /** Rows now held (the head is the only place rows leave, so seqs are contiguous). */
  rowCount(): number {
    const r = this.db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM export_outbox').get() as { lo: number | null; hi: number | null };
    return r.lo === null || r.hi === null ? 0 : r.hi - r.lo + 1;
  }

  /** Rows some sink has not passed yet (rows after the lowest cursor; seqs are contiguous). */
  undeliveredCount(): number {
    const r = this.db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM export_outbox').get() as { lo: number | null; hi: number | null };
    return r.lo === null || r.hi === null ? 0 : Math.max(0, r.hi - Math.max(r.lo - 1, this.minCursor()));
  }

  /** When the first row after `afterSeq` was written (null when none). */
  oldestCreatedAfter(afterSeq: number): number | null {
    const r = this.db.prepare('SELECT created_ms FROM export_outbox WHERE seq > ? ORDER BY seq LIMIT 1').get(afterSeq) as { created_ms: number } | undefined;
    return r?.created_ms ?? null;
  }

  /** The cursor that replays every retained row that happened at or after `fromMs`. */
  cursorForReplay(fromMs: number): number {
    const r = this.db.prepare('SELECT MIN(seq) AS seq FROM export_outbox WHERE at_ms >= ?').get(Math.floor(fromMs)) as { seq: number | null };
    return r.seq === null ? this.maxSeq() : r.seq - 1;
  }

  /** Oldest event time still in the outbox (what replay can reach), or null. */
  oldestAtMs(): number | null {
    const r = this.db.prepare('SELECT MIN(at_ms) AS at FROM export_outbox').get() as { at: number | null };
    return r.at;
  }

  /**
   * Prunes the head: rows every sink has passed and older than the retention; then, over the cap, the oldest rows
   * (delivered first), advancing lagging sinks' cursors and counting what they lost. Returns what was removed.
   * (`prune` then `enforceCap`, in one transaction; the export service runs them apart so that it can raise the
   * outbox-near-cap alarm in between, before anything is dropped.)
   */
  maintain(): { pruned: number; dropped: number } {
    return this.db.transaction(() => {
      const pruned = this.prune();
      const r = this.enforceCap();
      return { pruned: pruned + r.pruned, dropped: r.dropped };
    })();
  }

  /** Lossless pruning: rows every sink has passed and older than the retention. Returns how many went. */
  prune(): number {
    return this.db.prepare('DELETE FROM export_outbox WHERE seq <= ? AND created_ms < ?').run(this.minCursor(), this.now() - this.retentionMs).changes;
  }

  /**
   * The cap policy. Over the cap, the oldest rows go: first those every sink has passed (delivered; only replay
   * loses them), then undelivered ones, whose lagging sinks' cursors move past them and count them as dropped.
   * `pruned`: delivered rows removed early; `dropped`: undelivered rows lost to at least one sink.
   */
  enforceCap(): { pruned: number; dropped: number } {
    return this.db.transaction(() => {
      let pruned = 0;
      let dropped = 0;
      const bounds = this.db.prepare('SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM export_outbox').get() as { lo: number | null; hi: number | null };
      if (bounds.lo !== null && bounds.hi !== null && bounds.hi - bounds.lo + 1 > this.cap) {
        const minCursor = this.minCursor();
        const cut = bounds.hi - this.cap; // rows with seq <= cut go
        pruned = this.db.prepare('DELETE FROM export_outbox WHERE seq <= ?').run(Math.min(cut, minCursor)).changes;
        if (cut > minCursor) {
          dropped = this.db.prepare('DELETE FROM export_outbox WHERE seq <= ?').run(cut).changes;
          const lost = this.db.prepare('UPDATE export_sinks SET dropped = dropped + (? - cursor), cursor = ? WHERE cursor < ?');
          lost.run(cut, cut, cut);
          this.db.prepare("INSERT INTO export_meta (key, value) VALUES ('dropped_total', ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value").run(dropped);
        }
      }
      return { pruned, dropped };
    })();
  }

  /** The lowest sink cursor (the outbox end when there is no sink): rows at or below it are delivered everywhere. */
  private minCursor(): number {
    const sinks = this.db.prepare('SELECT cursor FROM export_sinks').all() as { cursor: number }[];
    return sinks.length ? Math.min(...sinks.map((s) => s.cursor)) : this.maxSeq();
  }

  status(): OutboxStatus {
    const d = this.db.prepare("SELECT value FROM export_meta WHERE key = 'dropped_total'").get() as { value: number } | undefined;
    return { rows: this.rowCount(), undelivered: this.undeliveredCount(), cap: this.cap, warnRatio: this.warnRatio, droppedTotal: d?.value ?? 0 };
  }

  private subscribed(item: OutboxItem): boolean {
    const now = this.now();
    if (!this.filters || now - this.filtersAt > FILTER_CACHE_MS) {
      const rows = this.db.prepare('SELECT filters FROM export_sinks').all() as { filters: string }[];
      this.filters = rows.map((r) => JSON.parse(r.filters) as ExportFilters);
      this.filtersAt = now;
    }
    return this.filters.some((f) => filtersMatch(f, item));
  }

  private wakeQueued = false;
  private queueWake(): void {
    if (this.wakeQueued || !this.enqueued.size) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.enqueued.emit();
    });
  }
}

function toRow(r: RawRow): OutboxRow {
  return { seq: r.seq, id: r.event_id, type: r.type, cameraId: r.camera_id, ruleId: r.rule_id, atMs: r.at_ms, data: JSON.parse(r.data) as Record<string, unknown>, createdMs: r.created_ms };
}
