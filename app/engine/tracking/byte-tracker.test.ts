import { describe, expect, it } from 'vitest';
import { person } from '../rules/synthetic.test-support';
import { solveAssignment } from './assignment';
import { ByteTracker } from './byte-tracker';

describe('assignment', () => {
  it('finds the optimal assignment, not the greedy one', () => {
    // Greedy would take (0,0)=1 then (1,1)=10; optimal is (0,1)+(1,0) = 2 + 2.
    const pairs = solveAssignment([[1, 2], [2, 10]], 100);
    expect(pairs.sort()).toEqual([[0, 1], [1, 0]]);
  });
  it('handles rectangular matrices and forbidden pairs', () => {
    expect(solveAssignment([[0.1, 5, 0.3]], 1)).toEqual([[0, 0]]);
    expect(solveAssignment([[5], [0.2], [5]], 1)).toEqual([[1, 0]]);
    expect(solveAssignment([[5, 5]], 1)).toEqual([]);
  });
});

describe('ByteTracker', () => {
  it('confirms after k hits and gives consecutive ids per tracker', () => {
    const tr = new ByteTracker({ confirmHits: 3 });
    const out = [0, 1, 2].map((f) => tr.update([person(0.2 + f * 0.005, 0.5), person(0.7, 0.5)], f / 25));
    expect(out[0]!.every((t) => !t.confirmed && t.id === 0)).toBe(true);
    expect(out[1]!.every((t) => !t.confirmed)).toBe(true);
    expect(out[2]!.map((t) => t.id).sort()).toEqual([1, 2]);
    expect(out[2]!.every((t) => t.confirmed && !t.predicted)).toBe(true);
  });

  it('measures how far a box moved in true proportions: a step across a wide frame is longer than the same step down it', () => {
    // A person standing at x 0.5 (box 0.08 x 0.3 of the frame) at 5 fps; next frame the only detection is 0.09
    // frame widths to the right (no overlap). On a square frame that is 0.3 box heights, within the reach of one
    // frame interval (2 heights/s x 0.2 s): the same person. On a 16:9 frame it is 0.53 box heights (173 px of
    // 1920 against a 324 px tall box): someone else.
    const jump = (tr: ByteTracker) => {
      for (let f = 0; f < 5; f++) tr.update([person(0.5, 0.5)], f / 5);
      const before = tr.update([person(0.5, 0.5)], 1).find((t) => t.confirmed)!.id;
      return tr.update([person(0.59, 0.5)], 1.2).find((t) => !t.predicted)?.id === before;
    };
    expect(jump(new ByteTracker())).toBe(true);
    expect(jump(new ByteTracker({ frameAspect: 16 / 9 }))).toBe(false);
    // the camera sets it from the frame size
    const tr = new ByteTracker();
    tr.setFrameAspect(16 / 9);
    expect(jump(tr)).toBe(false);
  });

  it('measures the lost buffer in seconds, whatever the frame rate', () => {
    for (const fps of [5, 25]) {
      const tr = new ByteTracker({ lostSeconds: 2 });
      let t = 0;
      const step = (present: boolean) => {
        t += 1 / fps;
        return tr.update(present ? [person(0.5, 0.5)] : [], t);
      };
      for (let i = 0; i < fps; i++) step(true);
      for (let i = 0; i < Math.round(1.5 * fps); i++) {
        const o = step(false);
        expect(o[0]?.predicted).toBe(true);
      }
      const back = step(true);
      expect(back.map((x) => x.id)).toEqual([1]); // 1.5 s gap: same track
      for (let i = 0; i < 3 * fps; i++) step(false);
      for (let i = 0; i < 3; i++) step(true);
      expect(step(true).map((x) => x.id)).toEqual([2]); // 3 s gap: a new track
    }
  });

  it('keeps a track through low-score detections (second stage) but never starts one from them', () => {
    const tr = new ByteTracker();
    for (let f = 0; f < 5; f++) tr.update([person(0.3, 0.5, 0.9)], f / 25);
    const o = tr.update([person(0.3, 0.5, 0.2)], 5 / 25);
    expect(o.find((x) => x.id === 1)?.predicted).toBe(false);
    const tr2 = new ByteTracker();
    for (let f = 0; f < 10; f++) expect(tr2.update([person(0.3, 0.5, 0.3)], f / 25).length).toBe(0);
  });

  it('forgets a lost track once it is predicted out of the frame, so a newcomer there gets a new id', () => {
    const tr = new ByteTracker();
    let t = 0;
    for (let f = 0; f < 30; f++) tr.update([person(0.6 + f * 0.012, 0.5)], (t = f / 25)); // leaves on the right
    for (let f = 0; f < 10; f++) tr.update([], (t += 0.04)); // 0.4 s: well inside the 2 s lost buffer
    let o = tr.update([], t);
    for (let f = 0; f < 5; f++) o = tr.update([person(0.95 - f * 0.012, 0.5)], (t += 0.04)); // someone comes in there
    expect(o.filter((x) => x.confirmed).map((x) => x.id)).toEqual([2]);
  });
  it('keeps classes apart', () => {
    const tr = new ByteTracker();
    let o = tr.update([], 0);
    for (let f = 0; f < 4; f++) o = tr.update([person(0.3, 0.5), { ...person(0.3, 0.5), cls: 'car', classId: 2 }], f / 25);
    expect(o.filter((x) => x.confirmed).map((x) => x.cls).sort()).toEqual(['car', 'person']);
  });

  it('follows a fast mover at low fps through the distance gate', () => {
    const tr = new ByteTracker();
    let o = tr.update([], 0);
    // 2 fps, moving 0.1 per frame: boxes 0.08 wide never overlap between frames.
    for (let f = 0; f < 6; f++) o = tr.update([person(0.1 + 0.1 * f, 0.5)], f / 2);
    expect(o.filter((x) => x.confirmed).map((x) => x.id)).toEqual([1]);
  });

  it('flags an object that never moves as stationary, not a person walking in', () => {
    const tr = new ByteTracker({ stationarySeconds: 10 });
    let o = tr.update([], 0);
    for (let f = 0; f <= 5 * 12; f++) {
      const walker = person(Math.min(0.2 + f * 0.01, 0.6), 0.5);
      o = tr.update([person(0.85, 0.3 + (f % 2) * 0.003), walker], f / 5);
    }
    const sign = o.find((x) => x.box[0] > 0.75)!;
    const walker = o.find((x) => x.box[0] < 0.75)!;
    expect(sign.stationary).toBe(true);
    expect(walker.stationary).toBe(false);
  });

  it('a track first seen cut by the frame border that pulls in from it has moved, even with small edge shifts', () => {
    const tr = new ByteTracker({ stationarySeconds: 10 });
    let o = tr.update([], 0);
    // A tall person first detected with the feet at the bottom border, then standing still a little higher up.
    for (let f = 0; f <= 5 * 12; f++) {
      const entering = { cls: 'person', classId: 0, score: 0.9, box: [0.5, 0.17 - Math.min(f, 4) * 0.03, 0.7, 0.985 - Math.min(f, 4) * 0.02] as [number, number, number, number] };
      const fixture = { cls: 'person', classId: 0, score: 0.9, box: [0.05, 0.2, 0.15, 0.985 - (f % 2) * 0.01] as [number, number, number, number] };
      o = tr.update([entering, fixture], f / 5);
    }
    expect(o.find((x) => x.box[0] > 0.4)!.stationary).toBe(false);
    expect(o.find((x) => x.box[0] < 0.4)!.stationary).toBe(true);
  });
});
