import { describe, expect, it } from 'vitest';
import { assignCamera, presetLayout, spanTile } from './layout-grid';

describe('layout grid', () => {
  it('fills a preset in reading order and keeps the previous cameras first', () => {
    const two = presetLayout('2x2', null, ['a', 'b', 'c']);
    expect(two.tiles.map((t) => t.cameraId)).toEqual(['a', 'b', 'c', null]);
    const moved = assignCamera(two, 3, 'a');
    expect(moved.tiles.map((t) => t.cameraId)).toEqual([null, 'b', 'c', 'a']);
    const three = presetLayout('3x3', moved, ['a', 'b', 'c', 'd']);
    expect(three.tiles.map((t) => t.cameraId)).toEqual(['b', 'c', 'a', 'd', null, null, null, null, null]);
  });
  it('spans a tile over its neighbours (custom) and refuses a span that does not fit', () => {
    const l = presetLayout('3x3', null, ['a']);
    const big = spanTile(l, 0, 2, 2);
    expect(big.grid).toBe('custom');
    expect(big.tiles).toHaveLength(6);
    expect(big.tiles[0]).toMatchObject({ colSpan: 2, rowSpan: 2, cameraId: 'a' });
    expect(spanTile(l, 8, 2, 1)).toBe(l);
  });
});
