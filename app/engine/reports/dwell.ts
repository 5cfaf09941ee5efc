import type { Db } from '../storage/database';
import { bucketStartOf, isoInZone } from './time-buckets';

/** One zone.enter or zone.exit row of the ledger (effective: voids and corrections applied). */
export interface ZoneVisitRow {
  trackId: number;
  type: 'zone.enter' | 'zone.exit';
  frameMs: number;
}

/** How long people stayed: the visits, and their median, 90th percentile and longest stay (seconds). */
export interface DwellFigures {
  visits: number;
  medianS: number;
  p90S: number;
  longestS: number;
}

/** An enter is paired with its track's exit only within this time (track ids restart with the camera worker). */
export const MAX_VISIT_MS = 24 * 3600_000;

/**
 * Visits from a zone's enter/exit rows: each exit closes the latest open enter of the same track (at or before
 * it, at most MAX_VISIT_MS earlier). An exit without an enter (it came before the rows read) and an enter never
 * closed (still inside) make no visit.
 */
export function zoneVisits(rows: readonly ZoneVisitRow[]): Array<{ enterMs: number; exitMs: number }> {
  const open = new Map<number, number>();
  const out: Array<{ enterMs: number; exitMs: number }> = [];
  for (const r of [...rows].sort((a, b) => a.frameMs - b.frameMs || (a.type === b.type ? 0 : a.type === 'zone.enter' ? -1 : 1))) {
    if (r.type === 'zone.enter') open.set(r.trackId, r.frameMs);
    else {
      const enterMs = open.get(r.trackId);
      open.delete(r.trackId);
      if (enterMs !== undefined && r.frameMs - enterMs <= MAX_VISIT_MS) out.push({ enterMs, exitMs: r.frameMs });
    }
  }
  return out;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Median, 90th percentile (nearest rank: 9 in 10 stayed at most this long) and longest of durations in ms, in whole seconds. */
export function dwellFigures(durationsMs: readonly number[]): DwellFigures {
  if (!durationsMs.length) return { visits: 0, medianS: 0, p90S: 0, longestS: 0 };
  const s = [...durationsMs].sort((a, b) => a - b).map((ms) => Math.round(ms / 1000));
  return { visits: s.length, medianS: percentile(s, 50), p90S: percentile(s, 90), longestS: s[s.length - 1]! };
}

/** Dwell of one zone over a period: all visits that ended in it, and per local hour of the exit (hours with visits only). */
export function dwellOfZone(rows: readonly ZoneVisitRow[], from: number, to: number, zone: string): { overall: DwellFigures; hours: Array<{ hourIso: string } & DwellFigures> } {
  const visits = zoneVisits(rows).filter((v) => v.exitMs >= from && v.exitMs < to);
  const byHour = new Map<number, number[]>();
  for (const v of visits) {
    const h = bucketStartOf(v.exitMs, 'hour', zone);
    byHour.set(h, [...(byHour.get(h) ?? []), v.exitMs - v.enterMs]);
  }
  return {
    overall: dwellFigures(visits.map((v) => v.exitMs - v.enterMs)),
    hours: [...byHour.entries()].sort(([a], [b]) => a - b).map(([h, d]) => ({ hourIso: isoInZone(h, zone), ...dwellFigures(d) })),
  };
}

/** The zone.enter / zone.exit rows of one zone that can make visits ending in [from, to). */
export function readZoneVisitRows(db: Db, cameraId: string, ruleId: string, from: number, to: number): ZoneVisitRow[] {
  return db
    .prepare(
      `SELECT track_id AS trackId, type, frame_ms AS frameMs FROM ledger_effective
       WHERE camera_id = ? AND rule_id = ? AND type IN ('zone.enter', 'zone.exit') AND frame_ms >= ? AND frame_ms < ?
       ORDER BY frame_ms`,
    )
    .all(cameraId, ruleId, from - MAX_VISIT_MS, to) as ZoneVisitRow[];
}
