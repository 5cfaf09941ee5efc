import { describe, expect, it } from 'vitest';
import type { LineCrossEvent } from '../../shared/domain/analytics';
import { parseRulesFile } from '../../shared/domain/rules';
import { personBox } from '../rules/synthetic.test-support';
import { groundTruthCrossings, matchCrossings } from './crossing-eval';
import { parseMotGt, type MotFrames } from './mot-gt';
import { computeMotMetrics } from './mot-metrics';
import { reversedClip, scoreClip } from './suite-score';

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

describe('a clip played backwards', () => {
  const rules = parseRulesFile({ rules: [{ id: 'mid', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center' }] }).rules;
  // one person walking left to right across the middle, 50 frames at 25 fps, detected in every other frame
  const gt: MotFrames = new Map(Array.from({ length: 50 }, (_, f) => [f, [{ id: 1, box: personBox(0.2 + f * 0.012, 0.5) }]]));
  const frames = Array.from({ length: 25 }, (_, k) => ({ t: (2 * k) / 25, detections: [{ cls: 'person', classId: 0, score: 0.9, box: personBox(0.2 + 2 * k * 0.012, 0.5) }] }));
  it('reverses the analysed frames and mirrors the ground truth about the last analysed frame', () => {
    const r = reversedClip(frames, gt, 25);
    expect(r.frames.map((f) => f.t)).toEqual(frames.map((f) => f.t));
    expect(r.frames[0]!.detections).toEqual(frames.at(-1)!.detections);
    // the last analysed frame is ground-truth frame 48: it becomes frame 0, frame 0 becomes 48, frame 49 is gone
    expect(r.gt!.get(0)).toEqual(gt.get(48));
    expect(r.gt!.get(48)).toEqual(gt.get(0));
    expect(r.gt!.size).toBe(49);
  });
  it('scores the walk the other way: one "out" crossing, counted and matched', () => {
    const score = (f: typeof frames, g: MotFrames) => scoreClip({ name: 'walk', rules, frames: f, sourceFps: 25, gt: g, classes: ['person'], tolerance: 1 }).lines[0]!;
    expect(score(frames, gt)).toMatchObject({ truth: 1, matched: 1, spurious: [] });
    const back = reversedClip(frames, gt, 25);
    const s = score(back.frames, back.gt!);
    expect(s).toMatchObject({ truth: 1, counted: 1, matched: 1, spurious: [] });
    expect(groundTruthCrossings(rules, back.gt!, 25).map((e) => e.dir)).toEqual(['out']);
  });
});
