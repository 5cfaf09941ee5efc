import type { Shelf } from '../../shared/domain/alarms';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from '../storage/database';

interface ShelfRow {
  id: number;
  camera_id: string;
  rule_id: string;
  rule_name: string | null;
  reason: string;
  shelved_by: string;
  shelved_ms: number;
  until_ms: number;
  held_back: number;
  ended_ms: number | null;
  ended_by: string | null;
}

/** Who ends a shelf whose time ran out. */
export const SHELF_TIMER = 'timer';

/**
 * Shelved rules (table `alarm_shelves`, migration 12): an officer silences a noisy armed rule of a camera for a
 * while, with a reason; it raises no alarm until its time runs out (`expireDue`, called by the alarm service's
 * timer with its clock) or someone unshelves it. Rows stay when a shelf ends: they are its history.
 */
export class AlarmShelves {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** The active shelf of a rule of a camera, if any (one whose time ran out but the timer has not ended yet counts as ended). */
  active(cameraId: string, ruleId: string): Shelf | undefined {
    const r = this.db.prepare('SELECT * FROM alarm_shelves WHERE camera_id = ? AND rule_id = ? AND ended_ms IS NULL AND until_ms > ?').get(cameraId, ruleId, this.now()) as ShelfRow | undefined;
    return r ? toShelf(r) : undefined;
  }

  /** Shelves a rule; a rule already shelved gets the new time and reason (the old shelf ends, by the same person). */
  shelve(i: { cameraId: string; ruleId: string; ruleName: string | null; minutes: number; reason: string }, by: string): Shelf {
    return this.db.transaction(() => {
      const now = this.now();
      this.endActive(i.cameraId, i.ruleId, by, now);
      const until = now + i.minutes * 60_000;
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO alarm_shelves (camera_id, rule_id, rule_name, reason, shelved_by, shelved_ms, shelved_at, until_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(i.cameraId, i.ruleId, i.ruleName, i.reason.trim(), by, now, new Date(now).toISOString(), until);
      return this.byId(Number(lastInsertRowid))!;
    })();
  }

  /** Ends the active shelf of a rule now. */
  unshelve(cameraId: string, ruleId: string, by: string): Shelf {
    const open = this.db.prepare('SELECT id FROM alarm_shelves WHERE camera_id = ? AND rule_id = ? AND ended_ms IS NULL').get(cameraId, ruleId) as { id: number } | undefined;
    if (!open) throw new AppErrorException('not-found', 'This rule is not shelved.');
    this.endActive(cameraId, ruleId, by, this.now());
    return this.byId(open.id)!;
  }

  /** Ends every shelf whose time has run out (by the timer); returns them. */
  expireDue(): Shelf[] {
    const now = this.now();
    const due = this.db.prepare('SELECT * FROM alarm_shelves WHERE ended_ms IS NULL AND until_ms <= ? ORDER BY id').all(now) as ShelfRow[];
    if (!due.length) return [];
    const end = this.db.prepare('UPDATE alarm_shelves SET ended_ms = ?, ended_at = ?, ended_by = ? WHERE id = ?');
    this.db.transaction(() => due.forEach((r) => end.run(now, new Date(now).toISOString(), SHELF_TIMER, r.id)))();
    return due.map((r) => this.byId(r.id)!);
  }

  /** One firing of a shelved rule was held back. */
  countHeldBack(id: number): void {
    this.db.prepare('UPDATE alarm_shelves SET held_back = held_back + 1 WHERE id = ?').run(id);
  }

  /** Active shelves first (soonest restored first), then those ended within `endedWithinMs`, newest first. */
  list(endedWithinMs = 0): Shelf[] {
    const active = this.db.prepare('SELECT * FROM alarm_shelves WHERE ended_ms IS NULL ORDER BY until_ms, id').all() as ShelfRow[];
    const ended = endedWithinMs > 0 ? (this.db.prepare('SELECT * FROM alarm_shelves WHERE ended_ms > ? ORDER BY ended_ms DESC, id DESC LIMIT 200').all(this.now() - endedWithinMs) as ShelfRow[]) : [];
    return [...active, ...ended].map(toShelf);
  }

  private endActive(cameraId: string, ruleId: string, by: string, now: number): void {
    this.db.prepare('UPDATE alarm_shelves SET ended_ms = ?, ended_at = ?, ended_by = ? WHERE camera_id = ? AND rule_id = ? AND ended_ms IS NULL').run(now, new Date(now).toISOString(), by, cameraId, ruleId);
  }

  private byId(id: number): Shelf | undefined {
    const r = this.db.prepare('SELECT * FROM alarm_shelves WHERE id = ?').get(id) as ShelfRow | undefined;
    return r ? toShelf(r) : undefined;
  }
}

function toShelf(r: ShelfRow): Shelf {
  return {
    id: r.id,
    cameraId: r.camera_id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    reason: r.reason,
    shelvedBy: r.shelved_by,
    shelvedMs: r.shelved_ms,
    untilMs: r.until_ms,
    heldBack: r.held_back,
    endedMs: r.ended_ms,
    endedBy: r.ended_by,
  };
}
