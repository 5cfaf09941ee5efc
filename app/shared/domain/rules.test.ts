import { describe, expect, it } from 'vitest';
import { signedDistanceToLine } from '../geometry/segment';
import { parseRulesFile } from './rules';

describe('rules file', () => {
  it('accepts the minimal file and fills defaults', () => {
    const f = parseRulesFile({ rules: [{ id: 'mid', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center' }] });
    const r = f.rules[0]!;
    expect(r.type).toBe('line');
    if (r.type !== 'line') return;
    expect(r.anchor).toBe('center');
    expect(r.classes).toEqual(['person']);
    expect(r.enabled).toBe(true);
    expect(r.hysteresis).toBeGreaterThan(0);
    expect(r.hysteresis).toBeLessThanOrEqual(0.05);
    expect(r.minFrames).toBeGreaterThanOrEqual(1);
  });
  it('defaults the anchor to bottom-center and accepts zones with options', () => {
    const f = parseRulesFile({
      rules: [
        { id: 'a', type: 'line', points: [[0, 0.5], [0.5, 0.6], [1, 0.5]] },
        { id: 'z', type: 'zone', points: [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9]], loiterSeconds: 30, overcrowd: { maxOccupancy: 3, forSeconds: 5 }, intrusion: { schedule: [{ from: '22:00', to: '06:00' }] } },
      ],
    });
    expect(f.rules[0]!.anchor).toBe('bottom-center');
    expect(f.rules[1]!.type).toBe('zone');
  });
  it('rejects with clear messages', () => {
    const bad = (rule: unknown) => () => parseRulesFile({ rules: [rule] });
    expect(bad({ id: 'z', type: 'zone', points: [[0, 0], [1, 1], [1, 0], [0, 1]] })).toThrow(/intersects itself/);
    expect(bad({ id: 'l', type: 'line', points: [[0.3, 0.3], [0.3, 0.3]] })).toThrow(/zero length/);
    expect(bad({ id: 'l', type: 'line', points: [[0.3, 0.3], [1.3, 0.3]] })).toThrow(/within 0\.\.1/);
    expect(bad({ id: 'l', type: 'line', points: [[-0.1, 0.3], [0.5, 0.3]] })).toThrow(/within 0\.\.1/);
    expect(bad({ id: 'x', type: 'circle', points: [[0.3, 0.3]] })).toThrow(/unknown rule type/);
    expect(bad({ id: 'z', type: 'zone', points: [[0, 0], [1, 1]] })).toThrow(/at least 3/);
    expect(() => parseRulesFile({ rules: [{ id: 'a', type: 'line', points: [[0, 0], [1, 1]] }, { id: 'a', type: 'line', points: [[0, 1], [1, 0]] }] })).toThrow(/duplicate rule id/);
  });
  it('direction semantics: left->right line points up, top->bottom line points right', () => {
    // "in" side = positive signed distance.
    expect(signedDistanceToLine([0.5, 0.1], [0, 0.5], [1, 0.5])).toBeGreaterThan(0); // above a left->right line
    expect(signedDistanceToLine([0.9, 0.5], [0.5, 0], [0.5, 1])).toBeGreaterThan(0); // right of a top->bottom line
  });
});
