import { describe, expect, it } from 'vitest';
import type { Box } from '../../shared/domain/detection';
import { tileRects } from '../../shared/domain/detection-tiling';
import { cutEdges, mergeTileCandidates, normalisedTiles, tileToFrameBox, type TileCandidate } from './tile-merge';

// 2x1 tiles with 20 % overlap on a 1000x500 frame: A = x 0..0.555, B = x 0.444..1 (shared band 0.444..0.555)
const W = 1000;
const H = 500;
const rects = tileRects(W, H, { columns: 2, rows: 1, overlap: 0.2, wholeFrame: false });
const tiles = normalisedTiles(rects, W, H);
const A = 0;
const B = 1;
const aRight = tiles[A]![2];
const bLeft = tiles[B]![0];
const person = (tile: number, box: Box, score = 0.8, classId = 0): TileCandidate => ({ classId, score, box, tile });
const NMS = 0.45;

describe('tile geometry for the merge', () => {
  it('maps a tile-normalised box into the frame', () => {
    expect(tileToFrameBox([0, 0, 1, 1], rects[B]!, W, H)).toEqual([rects[B]!.x / W, 0, 1, 1]);
    expect(tileToFrameBox([0.5, 0.5, 1, 1], { x: 100, y: 50, width: 200, height: 100 }, 1000, 500)).toEqual([0.2, 0.2, 0.3, 0.3]);
  });
  it('a box is cut only by a tile border inside the frame, never by the frame edge', () => {
    expect(cutEdges([0.5, 0.2, aRight, 0.8], tiles[A]!)).toEqual([2]);
    expect(cutEdges([0, 0.2, 0.1, 0.8], tiles[A]!)).toEqual([]);
    expect(cutEdges([bLeft, 0.2, 0.5, 0.8], tiles[B]!)).toEqual([0]);
    expect(cutEdges([0.3, 0.2, 0.4, 0.8], tiles[A]!)).toEqual([]);
  });
});

describe('merging the boxes of a tiled frame', () => {
  it('a person seen whole by both tiles (inside the shared band) is one box', () => {
    const out = mergeTileCandidates([person(A, [0.46, 0.3, 0.52, 0.7], 0.9), person(B, [0.461, 0.31, 0.521, 0.7], 0.85)], tiles, NMS);
    expect(out).toHaveLength(1);
    expect(out[0]!.score).toBe(0.9);
  });

  it('a person cut by the seam in one tile and whole in the other is one box, the union', () => {
    // whole in B (x 0.50..0.58), A sees only up to its right border
    const out = mergeTileCandidates([person(A, [0.5, 0.3, aRight, 0.7], 0.6), person(B, [0.5, 0.3, 0.58, 0.71], 0.9)], tiles, NMS);
    expect(out).toHaveLength(1);
    expect(out[0]!.box).toEqual([0.5, 0.3, 0.58, 0.71]);
  });

  it('a person wider than the shared band, cut in both tiles, is one box across the seam', () => {
    // x 0.40..0.60: A sees 0.40..0.555, B sees 0.444..0.60; IoU of the two parts is below the NMS threshold
    const a: Box = [0.4, 0.2, aRight, 0.9];
    const b: Box = [bLeft, 0.21, 0.6, 0.9];
    const out = mergeTileCandidates([person(A, a, 0.7), person(B, b, 0.75)], tiles, NMS);
    expect(out).toHaveLength(1);
    expect(out[0]!.box[0]).toBeCloseTo(0.4, 6);
    expect(out[0]!.box[2]).toBeCloseTo(0.6, 6);
    expect(out[0]!.score).toBe(0.75);
  });

  it('two people side by side in the shared band stay two, even when one of them is cut by the seam', () => {
    const left: Box = [0.45, 0.3, 0.49, 0.7];
    const rightWhole: Box = [0.5, 0.3, 0.58, 0.7];
    const rightCut: Box = [0.5, 0.3, aRight, 0.7];
    const out = mergeTileCandidates([person(A, left, 0.9), person(A, rightCut, 0.6), person(B, left, 0.88), person(B, rightWhole, 0.85)], tiles, NMS);
    expect(out).toHaveLength(2);
    expect(out.map((o) => o.box[0]).sort()).toEqual([0.45, 0.5]);
  });

  it('two people shoulder to shoulder on the seam, each cut by it in one tile, stay two', () => {
    // person L x 0.47..0.53 (whole in A and B), person R x 0.53..0.59 (whole in B, cut in A)
    const L: Box = [0.47, 0.3, 0.53, 0.75];
    const R: Box = [0.53, 0.3, 0.59, 0.75];
    const out = mergeTileCandidates([person(A, L, 0.9), person(B, L, 0.9), person(A, [0.53, 0.3, aRight, 0.75], 0.55), person(B, R, 0.85)], tiles, NMS);
    expect(out).toHaveLength(2);
    expect(out.some((o) => o.box[0] === 0.53 && o.box[2] === 0.59)).toBe(true);
  });

  it('a group (people overlapping each other) is never fused: only the model-IoU NMS applies inside a tile', () => {
    const group: Box[] = [
      [0.1, 0.3, 0.16, 0.8],
      [0.14, 0.31, 0.2, 0.8],
      [0.18, 0.29, 0.24, 0.8],
    ];
    expect(mergeTileCandidates(group.map((b, i) => person(A, b, 0.9 - i * 0.1)), tiles, NMS)).toHaveLength(3);
  });

  it('a cut box joins the whole-frame input`s box of the same person', () => {
    const withWhole = normalisedTiles(tileRects(W, H, { columns: 2, rows: 1, overlap: 0.2, wholeFrame: true }), W, H);
    // inputs: 0 whole frame, 1 tile A, 2 tile B; a tall person straddling the seam
    const out = mergeTileCandidates(
      [person(0, [0.42, 0.1, 0.62, 0.95], 0.8), person(1, [0.42, 0.1, withWhole[1]![2], 0.95], 0.7), person(2, [withWhole[2]![0], 0.1, 0.62, 0.94], 0.7)],
      withWhole,
      NMS,
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.box).toEqual([0.42, 0.1, 0.62, 0.95]);
  });

  it('never joins different classes, nor two boxes of one tile', () => {
    expect(mergeTileCandidates([person(A, [0.5, 0.3, aRight, 0.7], 0.6, 0), person(B, [0.5, 0.3, 0.58, 0.71], 0.9, 2)], tiles, NMS)).toHaveLength(2);
    expect(mergeTileCandidates([person(A, [0.5, 0.3, aRight, 0.7], 0.6), person(A, [0.44, 0.3, 0.5, 0.7], 0.9)], tiles, NMS)).toHaveLength(2);
  });

  it('does not join a cut box with a box in the other tile that is elsewhere', () => {
    // cut in A at the seam, high up; B has someone low down in the band
    const out = mergeTileCandidates([person(A, [0.5, 0.05, aRight, 0.35], 0.6), person(B, [0.46, 0.6, 0.54, 0.95], 0.9)], tiles, NMS);
    expect(out).toHaveLength(2);
  });
});
