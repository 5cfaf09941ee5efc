import type { RootState } from '../root-state';

export const selectReports = (s: RootState) => s.reports;
export const selectShift = (s: RootState) => s.reports.shift;
/** The newest export of this window, or null. */
export const selectLatestExport = (s: RootState) => s.reports.exports[s.reports.exports.length - 1] ?? null;

/** Relative change against the previous period, e.g. +12 % (null when the previous period had none). */
export function deltaPercent(now: number, before: number): number | null {
  if (before === 0) return null;
  return Math.round(((now - before) / before) * 100);
}
