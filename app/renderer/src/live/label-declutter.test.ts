import { describe, expect, it } from 'vitest';
import { declutterLabels, type LabelRect } from './label-declutter';
import { fitBetweenBars } from './tile-fit';

const overlaps = (a: LabelRect, b: LabelRect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('box labels in a crowd', () => {
  it('keeps a lone label just above its box', () => {
    expect(declutterLabels([{ width: 80, height: 18, box: { x: 100, y: 100, width: 60, height: 150 } }])).toEqual([{ x: 100, y: 82, width: 80, height: 18 }]);
  });

  it('never lets two labels overlap, however packed the crowd; the first (most confident) always gets its place', () => {
    // 30 people standing shoulder to shoulder, boxes overlapping.
    const reqs = Array.from({ length: 30 }, (_, i) => ({ width: 90, height: 18, box: { x: 40 + i * 12, y: 120 + (i % 3) * 6, width: 50, height: 140 } }));
    const out = declutterLabels(reqs, 28);
    const placed = out.filter((r): r is LabelRect => r !== null);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!, placed[j]!)).toBe(false);
    expect(out[0]).not.toBeNull();
    expect(placed.length).toBeLessThan(reqs.length); // some were skipped rather than piled up
    expect(placed.length).toBeGreaterThan(3); // and stacking placed more than the first row
    for (const p of placed) expect(p.y).toBeGreaterThanOrEqual(28);
  });

  it('stacks a second label inside its box when the spot above is taken', () => {
    const box = { x: 100, y: 100, width: 60, height: 150 };
    const [a, b] = declutterLabels([{ width: 80, height: 18, box }, { width: 80, height: 18, box }]);
    expect(a).toEqual({ x: 100, y: 82, width: 80, height: 18 });
    expect(b).toEqual({ x: 100, y: 100, width: 80, height: 18 });
  });
});

describe('the picture between the tile header and footer', () => {
  it('is not hidden by the header band: its top starts below it', () => {
    // A 16:9 picture in a 16:9 tile would start at y=0 under the 28 px header; it is fitted between the bands.
    const f = fitBetweenBars(1280, 720, 640, 360, 28, 22);
    expect(f.y).toBeGreaterThanOrEqual(28);
    expect(f.y + f.height).toBeLessThanOrEqual(360 - 22);
    expect(f.width / f.height).toBeCloseTo(1280 / 720, 5);
  });
});
