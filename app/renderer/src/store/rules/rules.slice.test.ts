import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '../../../../shared/domain/rules';
import { camerasPruned, countersReceived, rulesLoadFailed, rulesReceived, savingChanged } from './rules.reducers';
import { selectCameraCounters, selectCameraRules } from './rules.selectors';
import { initialRulesState } from './rules.state';
import type { RootState } from '../root-state';

const { rules } = parseRulesFile({ rules: [{ id: 'door', type: 'line', points: [[0, 0.5], [1, 0.5]] }] });

describe('rules slice', () => {
  it('holds rules per camera and clears a load error when they arrive', () => {
    let s = rulesLoadFailed(initialRulesState, 'a', 'boom');
    expect(s.loadErrors.a).toBe('boom');
    s = rulesReceived(s, 'a', rules, '2026-01-01T00:00:00Z');
    expect(s.byCamera.a).toEqual({ rules, updatedAt: '2026-01-01T00:00:00Z' });
    expect(s.loadErrors).toEqual({});
    s = savingChanged(s, 'a', true);
    expect(s.saving).toEqual({ a: true });
    s = savingChanged(s, 'a', false);
    expect(s.saving).toEqual({});
  });

  it('keeps the newest counters and prunes removed cameras', () => {
    let s = countersReceived(initialRulesState, { cameraId: 'a', counters: { door: { in: 3, out: 1 } }, at: '2026-01-01T00:00:02Z' });
    s = countersReceived(s, { cameraId: 'a', counters: { door: { in: 2, out: 1 } }, at: '2026-01-01T00:00:01Z' });
    expect(s.counters.a?.counters.door).toEqual({ in: 3, out: 1 });
    s = countersReceived(s, { cameraId: 'b', counters: { z: { occupancy: 2 } }, at: '2026-01-01T00:00:03Z' });
    s = rulesReceived(s, 'b', [], null);
    s = camerasPruned(s, ['a']);
    expect(Object.keys(s.counters)).toEqual(['a']);
    expect(Object.keys(s.byCamera)).toEqual([]);
  });

  it('selectors return stable empties for unknown cameras', () => {
    const root = { rules: initialRulesState } as RootState;
    expect(selectCameraRules('x')(root)).toBe(selectCameraRules('y')(root));
    expect(selectCameraCounters('x')(root)).toBe(selectCameraCounters('y')(root));
  });
});
