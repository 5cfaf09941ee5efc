import { describe, expect, it } from 'vitest';
import { RawFrameSplitter } from './raw-frame-splitter';

describe('RawFrameSplitter', () => {
  it('cuts a byte stream into fixed frames across any chunking', () => {
    const frames: Array<[number, number[]]> = [];
    const r = new RawFrameSplitter(4, (f, i) => frames.push([i, [...f]]));
    r.push(Buffer.from([1, 2, 3]));
    r.push(Buffer.from([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]));
    expect(frames).toEqual([
      [0, [1, 2, 3, 4]],
      [1, [5, 6, 7, 8]],
      [2, [9, 10, 11, 12]],
    ]);
    r.reset();
    r.push(Buffer.from([20, 21, 22, 23]));
    expect(frames.at(-1)).toEqual([0, [20, 21, 22, 23]]);
  });
  it('reuses a recycled frame buffer for a later frame', () => {
    const got: Buffer[] = [];
    const r = new RawFrameSplitter(2, (f) => got.push(f));
    r.push(Buffer.from([1, 2, 3, 4]));
    r.recycle(got[0]!);
    r.push(Buffer.from([5, 6, 7, 8]));
    // frame 0 was handed back, so frame 3 was read into the same buffer
    expect(got.map((f) => [...f])).toEqual([[7, 8], [3, 4], [5, 6], [7, 8]]);
    expect(got[2]).not.toBe(got[0]);
    expect(got[3]).toBe(got[0]);
  });
  it('is read straight into its frames through target()/advance(), mixed with push()', () => {
    const got: number[][] = [];
    const r = new RawFrameSplitter(4, (f) => got.push([...f]));
    const t1 = r.target();
    expect(t1.length).toBe(4);
    t1.set([1, 2], 0);
    r.advance(2);
    const t2 = r.target();
    expect(t2.length).toBe(2);
    expect(t2.buffer).toBe(t1.buffer); // the rest of the same frame
    t2.set([3, 4], 0);
    r.advance(2);
    r.push(Buffer.from([5, 6, 7]));
    r.target().set([8], 0);
    r.advance(1);
    expect(got).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
  });
});
