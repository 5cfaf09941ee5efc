import { ulid } from 'ulid';
import type { OccurrenceEntry, ShiftSignoff } from '../../shared/domain/reports';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from '../storage/database';

/** The occurrence book (officers' entries during a shift) and shift sign-offs; both append-only. */
export class OccurrenceBookRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  add(text: string, by: string, at: number = this.now()): OccurrenceEntry {
    const t = text.trim();
    if (!t) throw new AppErrorException('invalid-input', 'Write something in the entry.');
    if (t.length > 4000) throw new AppErrorException('invalid-input', 'An entry can be at most 4000 characters.');
    const id = ulid(this.now());
    this.db.prepare('INSERT INTO occurrence_entries (id, at_ms, text, by_user, created_at) VALUES (?, ?, ?, ?, ?)').run(id, Math.round(at), t, by, new Date(this.now()).toISOString());
    return { id, at: Math.round(at), text: t, by };
  }

  /** Entries in [from, to), oldest first. */
  between(from: number, to: number): OccurrenceEntry[] {
    return (this.db.prepare('SELECT id, at_ms, text, by_user FROM occurrence_entries WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, id').all(from, to) as Array<{ id: string; at_ms: number; text: string; by_user: string }>).map((r) => ({
      id: r.id,
      at: r.at_ms,
      text: r.text,
      by: r.by_user,
    }));
  }

  /** Signs a shift off (once). */
  signOff(shiftFrom: number, shiftTo: number, by: string, note: string | null, at: number = this.now()): ShiftSignoff {
    if (shiftTo <= shiftFrom) throw new AppErrorException('invalid-input', 'The shift ends before it starts.');
    if (this.signoffOf(shiftFrom, shiftTo)) throw new AppErrorException('conflict', 'This shift has already been signed off.');
    const s: ShiftSignoff = { id: ulid(at), shiftFrom, shiftTo, by, at, note: note?.trim() || null };
    this.db.prepare('INSERT INTO shift_signoffs (id, shift_from, shift_to, by_user, note, at_ms) VALUES (?, ?, ?, ?, ?, ?)').run(s.id, s.shiftFrom, s.shiftTo, s.by, s.note, s.at);
    return s;
  }

  signoffOf(shiftFrom: number, shiftTo: number): ShiftSignoff | null {
    const r = this.db.prepare('SELECT * FROM shift_signoffs WHERE shift_from = ? AND shift_to = ?').get(shiftFrom, shiftTo) as
      | { id: string; shift_from: number; shift_to: number; by_user: string; note: string | null; at_ms: number }
      | undefined;
    return r ? { id: r.id, shiftFrom: r.shift_from, shiftTo: r.shift_to, by: r.by_user, at: r.at_ms, note: r.note } : null;
  }
}
