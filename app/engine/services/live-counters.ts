import type { RulesCounters } from '../../shared/ipc/rules.contract';
import type { AnalyticsReport } from '../camera/analytics-stage';
import type { LedgerRepository } from '../ledger/ledger.repository';

/** Local midnight of the day containing `ms` (the counters' day starts there). */
export function startOfLocalDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/**
 * Live counters for the overlay and the side panel. Crossings, entries and exits are today's, derived from the
 * ledger (so they survive restarts and honour voids and corrections); occupancy is the worker's live view of who
 * is inside now (the ledger cannot know about people who were inside when a worker restarted).
 */
export function liveCounters(cameraId: string, report: AnalyticsReport, ledger: LedgerRepository): RulesCounters {
  const totals = new Map(ledger.totals({ cameraId, fromMs: startOfLocalDay(report.frameAt) }).map((t) => [t.ruleId, t]));
  const counters: RulesCounters['counters'] = {};
  for (const [ruleId, c] of Object.entries(report.counters)) {
    const t = totals.get(ruleId);
    counters[ruleId] =
      c.kind === 'line'
        ? { in: t?.in ?? 0, out: t?.out ?? 0 }
        : { enter: t?.enter ?? 0, exit: t?.exit ?? 0, occupancy: c.occupancy, maxOccupancy: c.maxOccupancy };
  }
  return { cameraId, counters, at: new Date(report.frameAt).toISOString() };
}
