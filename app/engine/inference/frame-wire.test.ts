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
