import type { ExportProgress } from '../../../../shared/domain/reports';
import type { ReportsState } from './reports.state';

/** Applies a reports:progress push to the export it belongs to (unknown ids: exports of another window, kept too). */
export function progressReceived(s: ReportsState, p: ExportProgress): ReportsState {
  const i = s.exports.findIndex((e) => e.exportId === p.exportId);
  if (i < 0) return { ...s, exports: [...s.exports.slice(-4), p] };
  const prev = s.exports[i]!;
  // A late "running" push never overrides a final state.
  if (prev.state !== 'running' && p.state === 'running') return s;
  const exports = s.exports.slice();
  exports[i] = p;
  return { ...s, exports };
}

/** Registers a just-started export (the host answered with its id). */
export function exportStarted(s: ReportsState, exportId: string): ReportsState {
  if (s.exports.some((e) => e.exportId === exportId)) return s;
  return { ...s, exportError: null, exports: [...s.exports.slice(-4), { exportId, fraction: 0, state: 'running', file: null, message: null }] };
}
