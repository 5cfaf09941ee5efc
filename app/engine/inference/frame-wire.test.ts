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
});
