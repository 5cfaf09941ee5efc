import { describe, expect, it } from 'vitest';
import { encodeMessage, WireDecoder } from './frame-wire';

describe('frame wire', () => {
  it('round-trips messages split at arbitrary points', () => {
    const body = new Uint8Array(1000).map((_, i) => i % 251);
    const bytes = Buffer.concat([...encodeMessage({ type: 'detect', id: 1 }, body), ...encodeMessage({ type: 'reply', id: 2 })]);
    for (const cut of [1, 7, 8, 20, 500, bytes.length - 1]) {
      const d = new WireDecoder();
      const out = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
      expect(out.map((m) => m.header.id)).toEqual([1, 2]);
      expect(Buffer.from(out[0]!.body).equals(Buffer.from(body))).toBe(true);
      expect(out[1]!.body.length).toBe(0);
    }
  });
  it('keeps nothing of a chunk past push(): chunks may come from one reused read buffer', () => {
    const body = new Uint8Array(300).map((_, i) => i % 13);
    const bytes = Buffer.concat([...encodeMessage({ type: 'detect', id: 5, note: 'x'.repeat(40) }, body), ...encodeMessage({ id: 6 })]);
    for (const step of [3, 8, 11, 29, 64]) {
      const readBuffer = Buffer.alloc(step);
      const d = new WireDecoder();
      const out = [];
      for (let off = 0; off < bytes.length; off += step) {
        const n = bytes.copy(readBuffer, 0, off, Math.min(bytes.length, off + step));
        out.push(...d.push(readBuffer.subarray(0, n)));
        readBuffer.fill(0xee); // the next read overwrites it
      }
      expect(out.map((m) => m.header.id)).toEqual([5, 6]);
      expect(out[0]!.header.note).toBe('x'.repeat(40));
      expect(Buffer.from(out[0]!.body).equals(Buffer.from(body))).toBe(true);
    }
  });
  it('refuses oversized headers', () => {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(10_000_000, 0);
    expect(() => new WireDecoder().push(b)).toThrow(/too large/);
  });
});

describe('frame wire bodies', () => {
  it('gives each body a buffer of its own, whole, even when one chunk carries several messages', () => {
    const a = new Uint8Array(300).fill(7);
    const b = new Uint8Array(50).fill(9);
    const bytes = Buffer.concat([...encodeMessage({ id: 1 }, a), ...encodeMessage({ id: 2 }, b), ...encodeMessage({ id: 3 })]);
    const out = new WireDecoder().push(bytes);
    expect(out.map((m) => m.header.id)).toEqual([1, 2, 3]);
    for (const m of out) expect(m.body.byteOffset === 0 && m.body.byteLength === m.body.buffer.byteLength).toBe(true);
    expect(out[0]!.body.every((v) => v === 7) && out[1]!.body.every((v) => v === 9)).toBe(true);
  });
  it('decodes byte by byte', () => {
    const bytes = Buffer.concat([...encodeMessage({ id: 5, s: 'é' }, new Uint8Array([1, 2, 3]))]);
    const d = new WireDecoder();
    const out = [...bytes].flatMap((x) => d.push(Buffer.from([x])));
    expect(out.map((m) => [m.header.id, m.header.s, [...m.body]])).toEqual([[5, 'é', [1, 2, 3]]]);
  });
  it('reads through target()/advance() as a socket does: bodies land in their own buffers, reads of any size', () => {
    const a = new Uint8Array(5000).map((_, i) => i % 199);
    const b = new Uint8Array(70).fill(3);
    const bytes = Buffer.concat([...encodeMessage({ id: 1, pad: 'y'.repeat(30) }, a), ...encodeMessage({ id: 2 }), ...encodeMessage({ id: 3 }, b), ...encodeMessage({ id: 4 }, a)]);
    for (const step of [1, 5, 8, 100, 4096, 1 << 20]) {
      const allocated: Uint8Array[] = [];
      const d = new WireDecoder((n) => {
        const u = new Uint8Array(n);
        allocated.push(u);
        return u;
      });
      const out = [];
      let intoBody = 0;
      for (let off = 0; off < bytes.length; ) {
        const t = d.target();
        expect(t.length).toBeGreaterThan(0);
        if (allocated.some((u) => u.buffer === t.buffer)) intoBody++;
        const n = Math.min(t.length, step, bytes.length - off);
        bytes.copy(t, 0, off, off + n);
        off += n;
        out.push(...d.advance(n));
      }
      expect(out.map((m) => m.header.id)).toEqual([1, 2, 3, 4]);
      expect(Buffer.from(out[0]!.body).equals(Buffer.from(a)) && Buffer.from(out[3]!.body).equals(Buffer.from(a))).toBe(true);
      expect([...out[2]!.body]).toEqual([...b]);
      expect(out[1]!.body.length).toBe(0);
      // the bodies are the allocated buffers themselves, and (below one read's size) most of their bytes were read
      // straight into them
      expect(out[0]!.body).toBe(allocated[0]);
      if (step < 4096) expect(intoBody).toBeGreaterThan(0);
    }
  });
});
