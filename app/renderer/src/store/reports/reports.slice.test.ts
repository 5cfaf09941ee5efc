import { describe, expect, it } from 'vitest';
import { exportStarted, progressReceived } from './reports.reducers';
import { deltaPercent } from './reports.selectors';
import { initialReportsState } from './reports.state';

describe('reports slice', () => {
  it('tracks an export from start to done; a late running push does not undo the final state', () => {
    let s = exportStarted(initialReportsState, 'x1');
    expect(s.exports).toEqual([{ exportId: 'x1', fraction: 0, state: 'running', file: null, message: null }]);
    s = progressReceived(s, { exportId: 'x1', fraction: 0.5, state: 'running', file: null, message: null });
    expect(s.exports[0]!.fraction).toBe(0.5);
    s = progressReceived(s, { exportId: 'x1', fraction: 1, state: 'done', file: '/r/a.pdf', message: null });
    const after = progressReceived(s, { exportId: 'x1', fraction: 0.9, state: 'running', file: null, message: null });
    expect(after).toBe(s);
    expect(s.exports[0]!.file).toBe('/r/a.pdf');
  });

  it('keeps the last five exports', () => {
    let s = initialReportsState;
    for (let i = 0; i < 8; i++) s = exportStarted(s, `x${i}`);
    expect(s.exports.map((e) => e.exportId)).toEqual(['x3', 'x4', 'x5', 'x6', 'x7']);
  });

  it('compares with the previous period', () => {
    expect(deltaPercent(120, 100)).toBe(20);
    expect(deltaPercent(80, 100)).toBe(-20);
    expect(deltaPercent(5, 0)).toBeNull();
  });
});
