import { describe, expect, it } from 'vitest';
import { newLineRule, newZoneRule } from './rule-draft';
import { fitContain } from '../live/tile-fit';
import { roundCoord, toFrame, toStage, toStagePoints } from './frame-coords';
import { hitTest } from './rules-hit-test';

describe('pixel <-> normalised conversion', () => {
  // A 16:9 frame in a square-ish stage: bars above and below.
  const fit = fitContain(1280, 720, 800, 600);

  it('uses the tile letterbox and round-trips', () => {
    expect(fit).toEqual({ x: 0, y: 75, width: 800, height: 450 });
    expect(toStage([0, 0], fit)).toEqual([0, 75]);
    expect(toStage([1, 1], fit)).toEqual([800, 525]);
    expect(toStage([0.5, 0.5], fit)).toEqual([400, 300]);
    for (const p of [[0.1, 0.2], [0.77, 0.93], [1, 0]] as const) {
      const q = toFrame(toStage(p, fit), fit);
      expect(q[0]).toBeCloseTo(p[0], 12);
      expect(q[1]).toBeCloseTo(p[1], 12);
    }
    expect(toStagePoints([[0, 0], [1, 1]], fit)).toEqual([0, 75, 800, 525]);
  });

  it('clamps clicks in the letterbox bars onto the frame edge', () => {
    expect(toFrame([400, 10], fit)).toEqual([0.5, 0]);
    expect(toFrame([-5, 599], fit)).toEqual([0, 1]);
    expect(toFrame([1, 1], { x: 0, y: 0, width: 0, height: 0 })).toEqual([0, 0]);
    expect(roundCoord(0.1234567)).toBe(0.12346);
  });
});

describe('hit test in stage pixels', () => {
  const fit = fitContain(1000, 1000, 1000, 1000);
  const line = { ...newLineRule([], [[0.1, 0.5], [0.9, 0.5]]), id: 'l' };
  const zone = { ...newZoneRule([], [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4]]), id: 'z' };
  const rules = [line, zone];

  it('prefers vertices, then edges, then zone insides', () => {
    expect(hitTest(rules, [104, 503], fit)).toEqual({ kind: 'vertex', ruleId: 'l', index: 0 });
    const e = hitTest(rules, [500, 505], fit);
    expect(e).toMatchObject({ kind: 'edge', ruleId: 'l', index: 0 });
    expect(e.kind === 'edge' && e.point).toEqual([0.5, 0.5]);
    expect(hitTest(rules, [395, 250], fit)).toMatchObject({ kind: 'edge', ruleId: 'z', index: 1 });
    expect(hitTest(rules, [300, 305], fit)).toMatchObject({ kind: 'edge', ruleId: 'z', index: 2 }); // closing edge is an edge too
    expect(hitTest(rules, [350, 250], fit)).toEqual({ kind: 'inside', ruleId: 'z' });
    expect(hitTest(rules, [800, 100], fit)).toEqual({ kind: 'none' });
    expect(hitTest(rules, [203, 198], fit, { draftStart: [0.2, 0.2] })).toEqual({ kind: 'draft-start' });
  });
});
