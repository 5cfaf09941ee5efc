import type { LedgerRowView, ReviewRow } from '../../../shared/ipc/events.contract';

/** The events filter as the live rows see it (times already read in the site zone). */
export interface LiveRowFilter {
  cameraId: string;
  ruleId: string;
  /** An event type, or '' for any. */
  type: string;
  /** An object class, or '' for any (case-insensitive). */
  cls: string;
  fromMs: number | null;
  toMs: number | null;
}

/** Whether a new ledger event (pushed by the host) belongs in the list under this filter. */
export function acceptsLive(row: LedgerRowView, f: LiveRowFilter): boolean {
  if (f.cameraId && row.cameraId !== f.cameraId) return false;
  if (f.ruleId.trim() && row.ruleId !== f.ruleId.trim()) return false;
  if (f.type && row.type !== f.type) return false;
  if (f.cls.trim() && row.cls.toLowerCase() !== f.cls.trim().toLowerCase()) return false;
  if (f.fromMs !== null && row.frameMs < f.fromMs) return false;
  if (f.toMs !== null && row.frameMs >= f.toMs) return false;
  return true;
}

/**
 * The events list updates itself: a pushed event that matches the filter goes on top (the list is newest first);
 * one already listed (it arrived with a page) is not doubled. Returns the same array when nothing changes.
 */
export function prependLive<R extends readonly ReviewRow[]>(rows: R, pushed: readonly LedgerRowView[], f: LiveRowFilter): R | ReviewRow[] {
  const have = new Set<string>();
  for (let i = 0; i < Math.min(rows.length, 500); i++) {
    const r = rows[i]!;
    if (r.kind === 'ledger') have.add(r.id);
  }
  const fresh = pushed.filter((p) => acceptsLive(p, f) && !have.has(p.id)).sort((a, b) => b.frameMs - a.frameMs || (a.id < b.id ? 1 : -1));
  if (!fresh.length) return rows;
  return [...fresh.map((p): ReviewRow => ({ ...p, kind: 'ledger' })), ...rows];
}
