import { describe, expect, it } from 'vitest';
import type { Box, Detection } from '../../shared/domain/detection';
import { appearanceOf, appearanceSimilarity, type AppearanceFrame } from './appearance';
import { ByteTracker } from './byte-tracker';

const W = 160;
const H = 120;
/** A grey BGR frame with coloured people: each box gets a top colour and a bottom colour (RGB). */
function frame(people: Array<{ box: Box; top: [number, number, number]; bottom: [number, number, number] }>): AppearanceFrame {
  const data = new Uint8Array(W * H * 3).fill(110);
  for (const p of people) {
    const [x0, y0, x1, y1] = [p.box[0] * W, p.box[1] * H, p.box[2] * W, p.box[3] * H].map(Math.round) as [number, number, number, number];
    for (let y = Math.max(0, y0); y < Math.min(H, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) {
        const c = y < (y0 + y1) / 2 ? p.top : p.bottom;
        const i = (y * W + x) * 3;
        data[i] = c[2];
        data[i + 1] = c[1];
        data[i + 2] = c[0];
      }
    }
  }
  return { data, width: W, height: H, colour: 'bgr', contentWidth: W, contentHeight: H, padX: 0, padY: 0 };
}
const RED: [number, number, number] = [200, 30, 30];
const BLUE: [number, number, number] = [30, 40, 190];
const BLACK: [number, number, number] = [20, 20, 20];
const box = (cx: number, w = 0.12, h = 0.5): Box => [cx - w / 2, 0.25, cx + w / 2, 0.25 + h];

describe('appearance descriptors', () => {
  it('the same clothes look alike wherever they are; different clothes do not', () => {
    const a = appearanceOf(frame([{ box: box(0.3), top: RED, bottom: BLACK }]), box(0.3))!;
    const b = appearanceOf(frame([{ box: box(0.7), top: RED, bottom: BLACK }]), box(0.7))!;
    const c = appearanceOf(frame([{ box: box(0.5), top: BLUE, bottom: BLACK }]), box(0.5))!;
    expect(appearanceSimilarity(a, b)).toBeGreaterThan(0.95);
    expect(appearanceSimilarity(a, c)).toBeLessThan(0.6);
  });
  it('boxes too small to say anything have no descriptor; letterbox padding is taken into account', () => {
    const f = frame([]);
    expect(appearanceOf(f, [0.5, 0.5, 0.52, 0.55])).toBeNull();
    const padded = { ...frame([{ box: [0.3, 0.25 + 0.1, 0.42, 0.75 + 0.1], top: RED, bottom: BLACK }]), contentHeight: H * 0.8, padY: H * 0.1 };
    // The same person in source coordinates: y scaled by 0.8 and shifted by the pad.
    const a = appearanceOf(padded, [0.3, (0.35 * H - 0.1 * H) / (0.8 * H), 0.42, (0.85 * H - 0.1 * H) / (0.8 * H)])!;
    const b = appearanceOf(frame([{ box: box(0.36), top: RED, bottom: BLACK }]), box(0.36))!;
    expect(appearanceSimilarity(a, b)).toBeGreaterThan(0.9);
  });
});

describe('the tracker with appearance', () => {
  it('two people who look different keep their identities when they pass each other and the boxes merge', () => {
    // A (red) walks right, B (blue) walks left at the same height; for 5 frames in the middle only one box is
    // detected where they overlap. Track by position alone, the ids can swap; with the look they cannot.
    const fps = 10;
    const run = (withLooks: boolean) => {
      const tr = new ByteTracker();
      const ids: Array<{ a?: number; b?: number }> = [];
      for (let f = 0; f < 40; f++) {
        const xa = 0.2 + f * 0.015;
        const xb = 0.8 - f * 0.015;
        const merged = Math.abs(xa - xb) < 0.08;
        const people = [{ box: box(xa), top: RED, bottom: BLACK }, { box: box(xb), top: BLUE, bottom: BLACK }];
        const dets: Detection[] = merged
          ? [{ cls: 'person', classId: 0, score: 0.9, box: box((xa + xb) / 2) }]
          : people.map((p) => ({ cls: 'person', classId: 0, score: 0.9, box: p.box }));
        const fr = frame(merged ? [people[0]!] : people);
        const looks = withLooks ? dets.map((d) => appearanceOf(fr, d.box)) : undefined;
        const out = tr.update(dets, f / fps, looks);
        const at = (x: number) => out.find((o) => o.confirmed && !o.predicted && Math.abs((o.box[0] + o.box[2]) / 2 - x) < 0.02)?.id;
        if (!merged) ids.push({ a: at(xa), b: at(xb) });
      }
      const first = ids.find((i) => i.a && i.b)!;
      const last = ids.at(-1)!;
      return { first, last };
    };
    const looked = run(true);
    expect(looked.last.a).toBe(looked.first.a);
    expect(looked.last.b).toBe(looked.first.b);
  });
});
