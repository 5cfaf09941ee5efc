import { describe, expect, it } from 'vitest';
import { MotionDetector } from './motion-detector';

const W = 416;
const H = 416;
const spec = { width: W, height: H, letterbox: 'topleft' as const };

/** A deterministic pseudo-random generator (the test must not depend on Math.random). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A textured grey scene of a 16:9 source letterboxed top-left into 416x416 (content 416x234), with sensor noise. */
function scene(random: () => number, opts: { noise?: number; brightness?: number; rect?: { x: number; y: number; w: number; h: number } } = {}): Uint8Array {
  const data = new Uint8Array(W * H * 3).fill(114);
  const contentH = 234;
  for (let y = 0; y < contentH; y++) {
    for (let x = 0; x < W; x++) {
      let v = 90 + ((x >> 3) % 5) * 12 + ((y >> 4) % 3) * 9 + (opts.brightness ?? 0);
      const r = opts.rect;
      if (r && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) v = 30;
      v += (random() - 0.5) * 2 * (opts.noise ?? 6);
      const i = (y * W + x) * 3;
      data[i] = data[i + 1] = data[i + 2] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return data;
}

describe('MotionDetector', () => {
  it('finds nothing in a still scene with sensor noise', () => {
    const random = rng(1);
    const m = new MotionDetector('medium');
    let last;
    for (let i = 0; i < 30; i++) last = m.update(scene(random), spec, 1920, 1080);
    expect(last!.warm).toBe(true);
    expect(last!.boxes).toEqual([]);
    expect(last!.global).toBe(false);
  });

  it('ignores a change of the whole picture brightness (auto exposure, flicker)', () => {
    const random = rng(2);
    const m = new MotionDetector('high');
    for (let i = 0; i < 10; i++) m.update(scene(random), spec, 1920, 1080);
    const r = m.update(scene(random, { brightness: 25 }), spec, 1920, 1080);
    expect(r.boxes).toEqual([]);
  });

  it('boxes a person-sized object that appears, in normalised source coordinates', () => {
    const random = rng(3);
    const m = new MotionDetector('medium');
    for (let i = 0; i < 10; i++) m.update(scene(random), spec, 1920, 1080);
    // 40x90 input pixels at (200, 100): source x 0.48..0.577, y 0.427..0.812
    const r = m.update(scene(random, { rect: { x: 200, y: 100, w: 40, h: 90 } }), spec, 1920, 1080);
    expect(r.boxes.length).toBe(1);
    const [x1, y1, x2, y2] = r.boxes[0]!;
    expect(x1).toBeLessThanOrEqual(0.481);
    expect(x2).toBeGreaterThanOrEqual(0.57);
    expect(y1).toBeLessThanOrEqual(0.43);
    expect(y2).toBeGreaterThanOrEqual(0.8);
    // and not much larger than the object (one cell of slack on each side)
    expect(x2 - x1).toBeLessThan(0.2);
    expect(y2 - y1).toBeLessThan(0.5);
  });

  it('reports most of the picture changing at once as a global change and relearns the background', () => {
    const random = rng(4);
    const m = new MotionDetector('medium');
    for (let i = 0; i < 10; i++) m.update(scene(random), spec, 1920, 1080);
    const r = m.update(scene(random, { rect: { x: 0, y: 0, w: 300, h: 234 } }), spec, 1920, 1080);
    expect(r.global).toBe(true);
    const after = m.update(scene(random, { rect: { x: 0, y: 0, w: 300, h: 234 } }), spec, 1920, 1080);
    expect(after.global).toBe(false);
    expect(after.boxes).toEqual([]);
  });

  it('maps boxes of a tiled frame back through each tile', () => {
    const random = rng(5);
    const m = new MotionDetector('medium');
    // two tiles side by side over a 1920x1080 source, each 1152x1080 letterboxed into 416x416 (content 416x390)
    const tiles = [{ x: 0, y: 0, width: 1152, height: 1080 }, { x: 768, y: 0, width: 1152, height: 1080 }];
    const frame = (rect?: { x: number; y: number; w: number; h: number }) => {
      const one = (r?: typeof rect) => {
        const d = new Uint8Array(W * H * 3).fill(114);
        for (let y = 0; y < 390; y++) for (let x = 0; x < W; x++) {
          let v = 100 + ((x >> 3) % 4) * 10 + (random() - 0.5) * 8;
          if (r && x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) v = 20;
          const i = (y * W + x) * 3;
          d[i] = d[i + 1] = d[i + 2] = Math.round(v);
        }
        return d;
      };
      const out = new Uint8Array(W * H * 3 * 2);
      out.set(one(), 0);
      out.set(one(rect), W * H * 3);
      return out;
    };
    for (let i = 0; i < 10; i++) m.update(frame(), spec, 1920, 1080, tiles);
    // object in the second tile at input x 300..340 -> source x 768 + 300/416*1152 = 1599 -> 0.833
    const r = m.update(frame({ x: 300, y: 100, w: 40, h: 90 }), spec, 1920, 1080, tiles);
    expect(r.boxes.length).toBe(1);
    expect(r.boxes[0]![0]).toBeGreaterThan(0.8);
    expect(r.boxes[0]![0]).toBeLessThan(0.84);
  });
});
