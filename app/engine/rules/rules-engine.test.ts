import { describe, expect, it } from 'vitest';
import type { AnalyticsEvent, LineCounter, ZoneCounter } from '../../shared/domain/analytics';
import type { Detection } from '../../shared/domain/detection';
import { parseRulesFile, type Rule } from '../../shared/domain/rules';
import { CameraAnalytics } from './camera-analytics';
import { dryRunRules } from './dry-run';
import { RulesEngine } from './rules-engine';
import { person, personBox, rng } from './synthetic.test-support';

const rules = (r: unknown[]): Rule[] => parseRulesFile({ rules: r }).rules;
const MID = rules([{ id: 'mid', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center' }]);

/** Runs frames of detections at fps through a CameraAnalytics; returns all events and the final counters. */
function run(r: Rule[], frames: Detection[][], fps = 25) {
  const ca = new CameraAnalytics(r);
  const events: AnalyticsEvent[] = [];
  frames.forEach((dets, f) => events.push(...ca.update(dets, f / fps, 0).events));
  return { events, counters: ca.getCounters() };
}
const line = (c: ReturnType<typeof run>['counters'], id = 'mid') => c[id] as LineCounter;
/** A walk from x0 to x1 at height y over n frames. */
const walk = (x0: number, x1: number, n: number, y = 0.5) => Array.from({ length: n }, (_, i) => x0 + ((x1 - x0) * i) / (n - 1)).map((x) => [person(x, y)]);

describe('line counting', () => {
  it('direction: minimal rule (drawn top->bottom) counts left->right as in, right->left as out', () => {
    expect(line(run(MID, walk(0.2, 0.8, 50)).counters)).toMatchObject({ in: 1, out: 0 });
    expect(line(run(MID, walk(0.8, 0.2, 50)).counters)).toMatchObject({ in: 0, out: 1 });
  });
  it('direction: a line drawn left->right counts walking up as in', () => {
    const r = rules([{ id: 'h', type: 'line', points: [[0, 0.5], [1, 0.5]], anchor: 'center' }]);
    const up = Array.from({ length: 50 }, (_, i) => [person(0.5, 0.8 - i * 0.012)]);
    expect(line(run(r, up).counters, 'h')).toMatchObject({ in: 1, out: 0 });
    expect(line(run(r, [...up].reverse()).counters, 'h')).toMatchObject({ in: 0, out: 1 });
  });
  it('a track jittering across the line for 100 frames counts at most once', () => {
    // Detector jitter of the anchor, up to ±0.025 (a third of the box width): never beyond the band for long.
    for (let seed = 1; seed <= 20; seed++) {
      const amp = seed % 2 ? 0.015 : 0.025;
      const rand = rng(seed);
      const frames = Array.from({ length: 100 }, () => [person(0.5 + (rand() * 2 - 1) * amp, 0.5)]);
      const c = line(run(MID, frames).counters);
      expect(c.in + c.out).toBeLessThanOrEqual(1);
    }
    // Flicker far across the line every other frame: never settles.
    const alternating = Array.from({ length: 100 }, (_, i) => [person(i % 2 ? 0.45 : 0.55, 0.5)]);
    const c = line(run(MID, alternating).counters);
    expect(c.in + c.out).toBeLessThanOrEqual(1);
  });
  it('stop-and-go at the line counts once', () => {
    const xs: number[] = [];
    for (let x = 0.3; x < 0.48; x += 0.01) xs.push(x);
    for (let k = 0; k < 15; k++) xs.push(0.49, 0.5, 0.51, 0.5, 0.49);
    for (let x = 0.5; x < 0.7; x += 0.01) xs.push(x);
    const c = line(run(MID, xs.map((x) => [person(x, 0.5)])).counters);
    expect(c).toMatchObject({ in: 1, out: 0 });
  });
  it('a real return crossing counts the other direction', () => {
    const c = line(run(MID, [...walk(0.2, 0.8, 40), ...walk(0.8, 0.2, 40)]).counters);
    expect(c).toMatchObject({ in: 1, out: 1 });
  });
  it('a line touching the frame edge still counts (bottom-center anchor clipped at the border)', () => {
    // A short vertical line from the bottom edge up; the person's feet are at the bottom edge.
    const r = rules([{ id: 'edge', type: 'line', points: [[0.5, 1], [0.5, 0.7]] }]);
    const frames = Array.from({ length: 50 }, (_, i) => [person(0.2 + i * 0.012, 0.9)]); // box bottom clipped to 1.0
    expect(line(run(r, frames).counters, 'edge')).toMatchObject({ in: 0, out: 1 });
    // A horizontal line just above the bottom edge, walking up from the edge.
    const h = rules([{ id: 'h', type: 'line', points: [[0, 0.985], [1, 0.985]] }]);
    const up = Array.from({ length: 50 }, (_, i) => [{ ...person(0.5, 0), box: personBox(0.5, 0.86 - i * 0.006) }]);
    expect(line(run(h, up).counters, 'h')).toMatchObject({ in: 1, out: 0 });
  });
  it('a crossing beyond the end of a finite line does not count', () => {
    const r = rules([{ id: 'short', type: 'line', points: [[0.5, 0], [0.5, 0.3]], anchor: 'center' }]);
    expect(line(run(r, walk(0.2, 0.8, 50, 0.6)).counters, 'short')).toMatchObject({ in: 0, out: 0 });
  });
  it('two people crossing side by side count 2', () => {
    const frames = Array.from({ length: 50 }, (_, i) => [person(0.2 + i * 0.012, 0.35), person(0.2 + i * 0.012 + 0.01, 0.65)]);
    expect(line(run(MID, frames).counters)).toMatchObject({ in: 2, out: 0 });
    const touching = Array.from({ length: 50 }, (_, i) => [person(0.2 + i * 0.012, 0.5), person(0.29 + i * 0.012, 0.5)]);
    expect(line(run(MID, touching).counters)).toMatchObject({ in: 2, out: 0 });
  });
  it('an unconfirmed track never counts', () => {
    // A flash of two detections on either side of the line: never confirmed.
    const frames = [[person(0.4, 0.5)], [person(0.6, 0.5)], [], [], [], []];
    const c = line(run(MID, frames).counters);
    expect(c.in + c.out).toBe(0);
  });
  it('a track broken at the line (no detections for ~1 s) counts exactly once', () => {
    const frames = walk(0.1, 0.9, 100).map((d, i) => (i >= 40 && i < 65 ? [] : d)); // missing 0.42..0.52 region for 1 s
    expect(line(run(MID, frames).counters)).toMatchObject({ in: 1, out: 0 });
  });
  it('side memory survives a change of track id near the line (re-association)', () => {
    const e = new RulesEngine(MID);
    let n = 0;
    for (let i = 0; i < 20; i++) n += e.update([{ id: 1, cls: 'person', score: 0.9, box: personBox(0.3 + i * 0.008, 0.5), velocity: [0.2, 0] }], i / 25).events.length;
    // Track 1 vanished at x~0.45; 0.8 s later track 2 is born past the line and walks on.
    for (let i = 0; i < 30; i++) n += e.update([{ id: 2, cls: 'person', score: 0.9, box: personBox(0.54 + i * 0.008, 0.5) }], 1.6 + i / 25).events.length;
    expect(n).toBe(1);
    expect(e.getCounters().mid).toMatchObject({ in: 1, out: 0 });
  });
  it('a track born on the far side without a predecessor never counts', () => {
    const e = new RulesEngine(MID);
    for (let i = 0; i < 30; i++) e.update([{ id: 7, cls: 'person', score: 0.9, box: personBox(0.56 + i * 0.008, 0.5) }], i / 25);
    expect(e.getCounters().mid).toMatchObject({ in: 0, out: 0 });
  });
  it('classes filter and disabled rules', () => {
    const r = rules([
      { id: 'cars', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center', classes: ['car'] },
      { id: 'off', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center', enabled: false },
    ]);
    const { counters } = run(r, walk(0.2, 0.8, 50));
    expect(counters.cars).toMatchObject({ in: 0, out: 0 });
    expect(counters.off).toMatchObject({ in: 0, out: 0 });
  });
  it('rules can be replaced while running, keeping the tracks', () => {
    const ca = new CameraAnalytics(rules([{ id: 'a', type: 'line', points: [[0.3, 0], [0.3, 1]], anchor: 'center' }]));
    const frames = walk(0.2, 0.8, 60);
    frames.forEach((d, f) => {
      if (f === 25) ca.setRules(rules([{ id: 'a', type: 'line', points: [[0.3, 0], [0.3, 1]], anchor: 'center' }, { id: 'b', type: 'line', points: [[0.7, 0], [0.7, 1]], anchor: 'center' }]));
      ca.update(d, f / 25, 0);
    });
    const c = ca.getCounters();
    expect(c.a).toMatchObject({ in: 1 });
    expect(c.b).toMatchObject({ in: 1 });
  });
  it('tracked detections carry the confirmed track id', () => {
    const ca = new CameraAnalytics(MID);
    let r = ca.update([person(0.2, 0.5)], 0, 0);
    expect(r.tracked[0]!.track).toBeUndefined();
    for (let f = 1; f < 4; f++) r = ca.update([person(0.2, 0.5)], f / 25, 0);
    expect(r.tracked[0]!.track).toBe(1);
  });
});

describe('zones', () => {
  const zone = (extra: object = {}) => rules([{ id: 'z', type: 'zone', points: [[0.4, 0], [0.6, 0], [0.6, 1], [0.4, 1]], anchor: 'center', ...extra }]);
  it('occupancy, enter, exit and dwell', () => {
    const e = new RulesEngine(zone());
    const events: AnalyticsEvent[] = [];
    const occ: number[] = [];
    for (let i = 0; i < 100; i++) {
      const x = 0.2 + i * 0.006; // inside for x in 0.4..0.6: frames ~34..66
      const r = e.update([{ id: 1, cls: 'person', score: 0.9, box: personBox(x, 0.5) }], i / 10, 0);
      events.push(...r.events);
      occ.push((r.counters.z as ZoneCounter).occupancy);
    }
    expect(events.map((x) => x.type)).toEqual(['zone.enter', 'zone.exit']);
    expect(occ[20]).toBe(0);
    expect(occ[50]).toBe(1);
    expect(occ[90]).toBe(0);
    const exit = events[1]!;
    expect(exit.type === 'zone.exit' && exit.dwell).toBeGreaterThan(2.5);
    expect(e.getCounters().z).toMatchObject({ enter: 1, exit: 1, occupancy: 0, maxOccupancy: 1 });
  });
  it('a track that disappears leaves after the grace time, and a successor keeps the visit going', () => {
    const e = new RulesEngine(zone());
    const obs = (id: number) => [{ id, cls: 'person', score: 0.9, box: personBox(0.5, 0.5) }];
    for (let i = 0; i < 10; i++) e.update(obs(1), i / 10, 0);
    expect((e.getCounters().z as ZoneCounter).occupancy).toBe(1);
    // Track 1 breaks, track 2 takes over at the same place 0.5 s later: still one visit.
    const types: string[] = [];
    for (let i = 15; i < 30; i++) types.push(...e.update(obs(2), i / 10, 0).events.map((x) => x.type));
    expect(types).toEqual([]);
    expect((e.getCounters().z as ZoneCounter).occupancy).toBe(1);
    for (let i = 30; i < 60; i++) types.push(...e.update([], i / 10, 0).events.map((x) => x.type));
    expect(types).toEqual(['zone.exit']);
    expect((e.getCounters().z as ZoneCounter).occupancy).toBe(0);
  });
  it('loitering fires once after loiterSeconds', () => {
    const e = new RulesEngine(zone({ loiterSeconds: 5 }));
    const types: string[] = [];
    for (let i = 0; i < 120; i++) types.push(...e.update([{ id: 1, cls: 'person', score: 0.9, box: personBox(0.5 + (i % 3) * 0.01, 0.5) }], i / 10, 0).events.map((x) => x.type));
    expect(types).toEqual(['zone.enter', 'zone.loiter']);
  });
  it('overcrowding: occupancy above the limit for the configured time', () => {
    const e = new RulesEngine(zone({ overcrowd: { maxOccupancy: 2, forSeconds: 3 } }));
    const events: AnalyticsEvent[] = [];
    const at = (id: number, k: number) => ({ id, cls: 'person', score: 0.9, box: personBox(0.45 + k * 0.05, 0.2 + k * 0.3) });
    for (let i = 0; i < 100; i++) {
      const obs = [at(1, 0), at(2, 1)];
      if (i >= 10 && i < 20) obs.push(at(3, 2)); // a third person for 1 s (plus grace): too short
      if (i >= 50) obs.push(at(4, 2)); // a third person for 5 s: fires once
      events.push(...e.update(obs, i / 10, 0).events);
    }
    const over = events.filter((x) => x.type === 'zone.overcrowd');
    expect(over).toHaveLength(1);
    expect(over[0]!.t).toBeGreaterThanOrEqual(8);
    expect(over[0]).toMatchObject({ occupancy: 3 });
  });
  it('intrusion respects its schedule', () => {
    const at = (h: number) => new Date(2026, 0, 5, h, 30).getTime(); // a Monday, local time
    const night = zone({ intrusion: { schedule: [{ from: '22:00', to: '06:00' }] } });
    const count = (wall: number) => {
      const e = new RulesEngine(night);
      let n = 0;
      for (let i = 0; i < 20; i++) n += e.update([{ id: 1, cls: 'person', score: 0.9, box: personBox(0.5, 0.5) }], i / 10, wall).events.filter((x) => x.type === 'zone.intrusion').length;
      return n;
    };
    expect(count(at(23))).toBe(1);
    expect(count(at(3))).toBe(1);
    expect(count(at(12))).toBe(0);
  });
  it('stationary objects are kept out of counts', () => {
    const e = new RulesEngine(zone());
    for (let i = 0; i < 20; i++) e.update([{ id: 1, cls: 'person', score: 0.9, box: personBox(0.5, 0.5), stationary: true, moved: false }], i / 10, 0);
    expect(e.getCounters().z).toMatchObject({ enter: 0, occupancy: 0 });
  });
});

describe('dry run over stored tracks', () => {
  it('counts the same as live analysis', () => {
    const samples = Array.from({ length: 50 }, (_, i) => ({ t: i / 25, box: personBox(0.2 + i * 0.012, 0.5) }));
    const { counters, events } = dryRunRules(MID, [{ id: 4, cls: 'person', samples }]);
    expect(counters.mid).toMatchObject({ in: 1, out: 0 });
    expect(events[0]).toMatchObject({ type: 'line.cross', dir: 'in', track: 4 });
  });
});
