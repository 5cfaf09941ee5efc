import { describe, expect, it } from 'vitest';
import type { Rule } from '../../shared/domain/rules';
import { parseRulesFile } from '../../shared/domain/rules';
import { DetectionGate, gateRegions, type GateTrack } from './detection-gate';
import type { FrameMotion } from './motion-detector';

const still: FrameMotion = { boxes: [], fraction: 0, global: false, warm: true };
const moving = (box: [number, number, number, number]): FrameMotion => ({ boxes: [box], fraction: 0.02, global: false, warm: true });
const person: GateTrack = { box: [0.4, 0.3, 0.5, 0.8], stationary: false, moved: true };
const sign: GateTrack = { box: [0.1, 0.1, 0.15, 0.3], stationary: true, moved: false };

describe('DetectionGate', () => {
  it('detects every frame when gating is off', () => {
    const g = new DetectionGate({ enabled: false, regions: null });
    expect(g.decide(0, still, []).detect).toBe(true);
    expect(g.decide(100, still, []).reason).toBe('off');
  });

  it('detects while the motion background is learnt, then skips a still scene but for the keep-alive', () => {
    const g = new DetectionGate({ enabled: true, regions: null, keepAliveMs: 2000, holdMs: 1000 });
    expect(g.decide(0, { ...still, warm: false }, [])).toEqual({ detect: true, reason: 'warm-up' });
    const decisions = [];
    for (let t = 100; t <= 4000; t += 100) decisions.push(g.decide(t, still, []));
    const ran = decisions.filter((d) => d.detect);
    expect(ran.map((d) => d.reason)).toEqual(['keep-alive', 'keep-alive']);
    expect(decisions.length - ran.length).toBe(38);
  });

  it('detects on motion in a region that matters and ignores motion elsewhere', () => {
    const g = new DetectionGate({ enabled: true, regions: [[0.3, 0, 0.7, 1]], keepAliveMs: 60_000 });
    g.decide(0, still, []); // keep-alive at start
    expect(g.decide(100, moving([0.05, 0.1, 0.1, 0.3]), []).detect).toBe(false);
    expect(g.decide(200, moving([0.25, 0.1, 0.35, 0.3]), [])).toEqual({ detect: true, reason: 'motion' });
  });

  it('keeps detecting while a track of something that moved is live, and for the hold after motion', () => {
    const g = new DetectionGate({ enabled: true, regions: null, keepAliveMs: 60_000, holdMs: 1000 });
    g.decide(0, still, []);
    expect(g.decide(100, moving([0.4, 0.3, 0.5, 0.8]), []).reason).toBe('motion');
    // the person stands still: no motion, but a live track
    expect(g.decide(5000, still, [person])).toEqual({ detect: true, reason: 'tracks' });
    // the track is gone; no motion for 4.9 s -> idle
    expect(g.decide(5100, still, []).detect).toBe(false);
    // motion then stillness: the hold keeps the detector on for a second
    g.decide(6000, moving([0.4, 0.3, 0.5, 0.8]), []);
    expect(g.decide(6500, still, []).reason).toBe('hold');
    expect(g.decide(7100, still, []).detect).toBe(false);
  });

  it('never lets a static object keep the camera detecting, even when the keep-alive finds it again as a new track', () => {
    const g = new DetectionGate({ enabled: true, regions: null, keepAliveMs: 2000, holdMs: 0 });
    g.decide(0, still, []);
    expect(g.decide(100, still, [sign]).detect).toBe(false);
    // the tracker lost it while frames were skipped; the keep-alive detection finds it as a new, not yet stationary track
    const reborn: GateTrack = { ...sign, stationary: false };
    expect(g.decide(2100, still, []).reason).toBe('keep-alive');
    expect(g.decide(2200, still, [reborn]).detect).toBe(false);
    // a person still holds the gate beside it
    expect(g.decide(2300, still, [reborn, person]).reason).toBe('tracks');
  });

  it('detects on a global change (lights switched)', () => {
    const g = new DetectionGate({ enabled: true, regions: [[0.4, 0.4, 0.6, 0.6]] });
    g.decide(0, still, []);
    expect(g.decide(100, { boxes: [], fraction: 0.8, global: true, warm: true }, [])).toEqual({ detect: true, reason: 'global-change' });
  });
});

describe('gateRegions', () => {
  const rules = (r: unknown[]): Rule[] => parseRulesFile({ rules: r }).rules;
  it('is the whole frame without rules', () => {
    expect(gateRegions([])).toBeNull();
  });
  it('grows each rule by the margin, clamped to the frame', () => {
    const r = gateRegions(rules([{ id: 'l', type: 'line', points: [[0.5, 0.2], [0.5, 0.6]] }]), 0.15);
    expect(r).toHaveLength(1);
    const [x1, y1, x2, y2] = r![0]!;
    expect([x1, y1, x2, y2].map((v) => Math.round(v * 100) / 100)).toEqual([0.35, 0.05, 0.65, 0.75]);
  });
  it('is the whole frame when the rules cover most of it', () => {
    expect(gateRegions(rules([{ id: 'z', type: 'zone', points: [[0.05, 0.05], [0.95, 0.05], [0.95, 0.95], [0.05, 0.95]] }]))).toBeNull();
  });
});
