import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FRAME_RING_PREFIX, FrameRingReader, FrameRingWriter, frameRingDir, sweepStaleFrameRings } from './frame-ring';

const dir = frameRingDir();
const open: FrameRingWriter[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});
const ring = (bytes: number, slots: number) => {
  const w = FrameRingWriter.create(dir!, bytes, slots)!;
  open.push(w);
  return w;
};

describe.runIf(dir !== null)('frame ring (/dev/shm)', () => {
  it('carries frames slot by slot; a slot is busy until released; the name goes once the reader has it open', () => {
    const w = ring(6, 2);
    expect(path.basename(w.path).startsWith(FRAME_RING_PREFIX)).toBe(true);
    expect(fs.statSync(w.path).mode & 0o777).toBe(0o600);
    const a = w.write(new Uint8Array([1, 2, 3, 4, 5, 6]));
    const b = w.write(new Uint8Array([7, 8, 9, 10, 11, 12]));
    expect([a, b]).toEqual([0, 1]);
    expect(w.write(new Uint8Array(6))).toBeNull(); // every slot in flight: the caller sends the frame inline
    expect(w.write(new Uint8Array(5))).toBeNull(); // another size: inline too
    const r = new FrameRingReader();
    const into = new Uint8Array(6);
    r.read({ path: w.path, slot: 1, bytes: 6 }, into);
    expect([...into]).toEqual([7, 8, 9, 10, 11, 12]);
    expect(fs.existsSync(w.path)).toBe(false); // only the two open descriptors keep the file now
    w.release(0);
    expect(w.write(new Uint8Array([6, 5, 4, 3, 2, 1]))).toBe(0);
    r.read({ path: w.path, slot: 0, bytes: 6 }, into);
    expect([...into]).toEqual([6, 5, 4, 3, 2, 1]);
    r.close();
  });

  it('refuses any path but a ring in /dev/shm, and references that do not fit', () => {
    const w = ring(4, 1);
    w.write(new Uint8Array(4));
    const r = new FrameRingReader();
    const into = new Uint8Array(4);
    expect(() => r.read({ path: '/etc/passwd', slot: 0, bytes: 4 }, into)).toThrow(/not a frame ring/);
    expect(() => r.read({ path: path.join(os.tmpdir(), path.basename(w.path)), slot: 0, bytes: 4 }, into)).toThrow(/not a frame ring/);
    expect(() => r.read({ path: `${w.path}/../${path.basename(w.path)}`, slot: 0, bytes: 4 }, into)).toThrow(/not a frame ring/);
    expect(() => r.read({ path: w.path, slot: 0, bytes: 8 }, into)).toThrow(/malformed/);
    expect(() => r.read({ path: w.path, slot: -1, bytes: 4 }, into)).toThrow(/malformed/);
    expect(() => r.read({ path: w.path, slot: 3, bytes: 4 }, into)).toThrow(/short frame ring read/);
    expect(() => r.read(null, into)).toThrow(/malformed/);
    r.close();
  });

  it('close() leaves nothing behind', () => {
    const w = FrameRingWriter.create(dir!, 8, 2)!;
    expect(fs.existsSync(w.path)).toBe(true);
    w.close();
    expect(fs.existsSync(w.path)).toBe(false);
  });

  it('sweeps rings whose writer process is gone, and only those', () => {
    const mine = ring(4, 1);
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-ring-sweep-'));
    try {
      for (const n of ['watchroom-frames-111-abc123', 'watchroom-frames-222-def456', 'other-file', 'watchroom-frames-x-1']) fs.writeFileSync(path.join(d, n), '');
      expect(sweepStaleFrameRings(d, (pid) => pid === 222)).toBe(1);
      expect(fs.readdirSync(d).sort()).toEqual(['other-file', 'watchroom-frames-222-def456', 'watchroom-frames-x-1']);
      // the real directory: this process is alive, so its ring stays
      sweepStaleFrameRings();
      expect(fs.existsSync(mine.path)).toBe(true);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
