import { describe, expect, it } from 'vitest';
import type { LineCrossEvent } from '../../shared/domain/analytics';
import { parseRulesFile } from '../../shared/domain/rules';
import { personBox } from '../rules/synthetic.test-support';
import { groundTruthCrossings, matchCrossings } from './crossing-eval';
import { parseMotGt, type MotFrames } from './mot-gt';
import { computeMotMetrics } from './mot-metrics';

const GT = `1,1,100,100,50,100,1,-1,-1,-1
1,2,300,100,50,100,1,-1,-1,-1
2,1,104,100,50,100,1,-1,-1,-1
2,2,296,100,50,100,1,-1,-1,-1
2,3,0,0,10,10,0,-1,-1,-1
3,1,108,100,50,100,1,-1,-1,-1
3,2,292,100,50,100,1,-1,-1,-1
4,1,112,100,50,100,1,-1,-1,-1
4,2,288,100,50,100,1,-1,-1,-1`;

describe('MOT ground truth', () => {
  it('parses frames from 1 into decoded indices from 0, normalised, skipping conf 0 rows', () => {
    const gt = parseMotGt(GT, 400, 200);
    expect([...gt.keys()]).toEqual([0, 1, 2, 3]);
    expect(gt.get(0)![0]).toEqual({ id: 1, box: [0.25, 0.5, 0.375, 1] });
    expect(gt.get(1)!.map((o) => o.id)).toEqual([1, 2]);
  });
});

describe('MOT metrics', () => {
  const gt = parseMotGt(GT, 400, 200);
  const relabel = (f: MotFrames, map: (frame: number, id: number) => number): MotFrames =>
    new Map([...f].map(([k, v]) => [k, v.map((o) => ({ ...o, id: map(k, o.id) }))]));
  it('a perfect hypothesis scores 1', () => {
    const m = computeMotMetrics(gt, relabel(gt, (_, id) => id + 10));
    expect(m).toMatchObject({ mota: 1, idf1: 1, idSwitches: 0, falsePositives: 0, misses: 0 });
  });
  it('an identity swap half-way is one switch per object and halves IDF1', () => {
    const m = computeMotMetrics(gt, relabel(gt, (f, id) => (f < 2 ? id : 3 - id)));
    expect(m.idSwitches).toBe(2);
    expect(m.mota).toBeCloseTo(1 - 2 / 8, 9);
    expect(m.idf1).toBeCloseTo(0.5, 9);
  });
  it('misses and false positives', () => {
    const hyp: MotFrames = new Map([...gt].map(([k, v]) => [k, k === 0 ? [] : [...v, { id: 99, box: [0, 0, 0.1, 0.1] }]]));
    const m = computeMotMetrics(gt, hyp);
    expect(m.misses).toBe(2);
    expect(m.falsePositives).toBe(3);
    expect(m.mota).toBeCloseTo(1 - 5 / 8, 9);
  });
});

describe('crossing evaluation', () => {
  const rules = parseRulesFile({ rules: [{ id: 'mid', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center' }] }).rules;
  const ev = (dir: 'in' | 'out', t: number): LineCrossEvent => ({ type: 'line.cross', rule: 'mid', dir, t, track: 1, cls: 'person', score: 1, box: [0, 0, 0, 0] });
  it('ground-truth crossings come from the same engine', () => {
    const gt: MotFrames = new Map(Array.from({ length: 50 }, (_, f) => [f, [{ id: 1, box: personBox(0.2 + f * 0.012, 0.5) }, { id: 2, box: personBox(0.8 - f * 0.012, 0.3) }]]));
    const truth = groundTruthCrossings(rules, gt, 25);
    expect(truth.map((e) => e.dir).sort()).toEqual(['in', 'out']);
  });
  it('matches one-to-one, same direction, within the tolerance', () => {
    const r = matchCrossings([ev('in', 1.0), ev('in', 1.3), ev('out', 5), ev('in', 9)], [ev('in', 1.1), ev('in', 5), ev('in', 7.5)], 1);
    expect(r.matched.map((m) => [m.counted.t, m.truth.t])).toEqual([[1.0, 1.1]]);
    expect(r.missed.map((e) => e.t)).toEqual([5, 7.5]);
    expect(r.spurious.map((e) => e.t)).toEqual([1.3, 5, 9]);
  });
});
