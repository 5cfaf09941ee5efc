import { describe, expect, it } from 'vitest';
import { formatTiling, modelInputsPerFrame, parseTilingArg, tileFractions, tileRects, type DetectionTiling } from './detection-tiling';

const tiling = (columns: number, rows: number, overlap = 0.2, wholeFrame = false): DetectionTiling => ({ columns, rows, overlap, wholeFrame });

describe('tile geometry', () => {
  it('n tiles of equal size overlap their neighbours by the given fraction of a tile, the outer ones flush with the frame', () => {
    const f = tileFractions(2, 0.2);
    expect(f[0]!.start).toBe(0);
    expect(f[1]!.end).toBe(1);
    const size = f[0]!.end - f[0]!.start;
    expect(f[1]!.end - f[1]!.start).toBeCloseTo(size, 5);
    expect((f[0]!.end - f[1]!.start) / size).toBeCloseTo(0.2, 4);
    const three = tileFractions(3, 0.25);
    expect(three.map((t) => t.end - t.start).every((s) => Math.abs(s - (three[0]!.end - three[0]!.start)) < 1e-5)).toBe(true);
    expect(tileFractions(1, 0.2)).toEqual([{ start: 0, end: 1 }]);
    expect(tileFractions(2, 0)).toEqual([{ start: 0, end: 0.5 }, { start: 0.5, end: 1 }]);
  });

  it('2x1 on 1080p: two 1066-1067 px wide tiles the full height, overlapping by about 213 px', () => {
    const r = tileRects(1920, 1080, tiling(2, 1));
    expect(r).toEqual([
      { x: 0, y: 0, width: 1066, height: 1080 },
      { x: 853, y: 0, width: 1067, height: 1080 },
    ]);
    expect(r[0]!.x + r[0]!.width - r[1]!.x).toBe(213);
  });

  it('whole-pixel tiles cover every pixel of odd-sized frames, stay inside them, and come row by row after the whole frame', () => {
    for (const [w, h] of [[1917, 1079], [640, 480], [33, 17]] as const) {
      for (const t of [tiling(2, 1), tiling(3, 2, 0.25), tiling(4, 4, 0.5, true), tiling(2, 2, 0)]) {
        const rects = tileRects(w, h, t);
        expect(rects).toHaveLength(modelInputsPerFrame(t));
        if (t.wholeFrame) expect(rects[0]).toEqual({ x: 0, y: 0, width: w, height: h });
        const tiles = t.wholeFrame ? rects.slice(1) : rects;
        for (const r of rects) {
          expect(Number.isInteger(r.x) && Number.isInteger(r.width)).toBe(true);
          expect(r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h).toBe(true);
        }
        // row by row, left to right
        expect(tiles[1]!.y === tiles[0]!.y ? tiles[1]!.x > tiles[0]!.x : tiles[1]!.y > tiles[0]!.y).toBe(true);
        // every pixel (sampled on a grid) lies in at least one tile
        for (let y = 0; y < h; y += Math.max(1, Math.floor(h / 37))) {
          for (let x = 0; x < w; x += Math.max(1, Math.floor(w / 41))) {
            expect(tiles.some((r) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)).toBe(true);
          }
        }
        expect(tiles.some((r) => r.x + r.width === w && r.y + r.height === h)).toBe(true);
      }
    }
  });

  it('cost: model inputs per frame', () => {
    expect(modelInputsPerFrame(null)).toBe(1);
    expect(modelInputsPerFrame(tiling(2, 1))).toBe(2);
    expect(modelInputsPerFrame(tiling(2, 2, 0.2, true))).toBe(5);
  });
});

describe('--tiles', () => {
  it('parses CxR, +whole and @overlap; off and 1x1 are no tiling', () => {
    expect(parseTilingArg('2x1')).toEqual(tiling(2, 1));
    expect(parseTilingArg('2x2+whole')).toEqual(tiling(2, 2, 0.2, true));
    expect(parseTilingArg('3x2@0.3')).toEqual(tiling(3, 2, 0.3));
    expect(parseTilingArg('off')).toBeNull();
    expect(parseTilingArg('1x1')).toBeNull();
    expect(formatTiling(parseTilingArg('3x2+whole@0.3'))).toBe('3x2+whole@0.3');
    expect(formatTiling(null)).toBe('off');
  });
  it('refuses what it cannot run, saying what it expects', () => {
    expect(() => parseTilingArg('2by1')).toThrow(/2x1, 2x2\+whole/);
    expect(() => parseTilingArg('5x1')).toThrow(/columns and rows 1..4/);
    expect(() => parseTilingArg('2x1@0.7')).toThrow(/overlap 0..0.5/);
  });
});
