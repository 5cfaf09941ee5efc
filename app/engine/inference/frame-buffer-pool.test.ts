import { describe, expect, it } from 'vitest';
import { FrameBufferPool } from './frame-buffer-pool';

describe('FrameBufferPool', () => {
  it('reuses whole buffers by size and ignores views, detached buffers and overflow', () => {
    const pool = new FrameBufferPool(2);
    const a = pool.take(16);
    pool.give(a);
    expect(pool.take(16).buffer).toBe(a.buffer);
    pool.give(new Uint8Array(new ArrayBuffer(32), 8, 16)); // a view: not whole
    const t = new Uint8Array(16);
    structuredClone(t.buffer, { transfer: [t.buffer] }); // detached
    pool.give(t);
    expect(pool.spare).toBe(0);
    for (let i = 0; i < 3; i++) pool.give(new Uint8Array(8));
    expect(pool.spare).toBe(2);
  });
});
