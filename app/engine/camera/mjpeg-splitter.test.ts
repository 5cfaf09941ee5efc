import { describe, expect, it } from 'vitest';
import { jpegSize, MjpegSplitter } from './mjpeg-splitter';

/** A minimal structurally valid JPEG: SOI, APP0, SOF0 (w x h), SOS, entropy data, EOI. */
function fakeJpeg(w: number, h: number, payload: number[]): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x06, 0xff, 0xd9, 0x00, 0x00]; // header bytes that contain FF D9
  const sof = [0xff, 0xc0, 0x00, 0x0b, 0x08, h >> 8, h & 255, w >> 8, w & 255, 0x01, 0x01, 0x11, 0x00];
  const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof, ...sos, ...payload, 0xff, 0xd9]);
}

describe('MjpegSplitter', () => {
  const a = fakeJpeg(640, 360, [1, 2, 0xff, 0x00, 3, 0xff, 0xd3, 4]); // stuffing and a restart marker
  const b = fakeJpeg(320, 240, [9, 8, 7]);

  it('splits concatenated JPEGs regardless of chunking', () => {
    const stream = Buffer.concat([Buffer.from('--boundary\r\nContent-Type: image/jpeg\r\n\r\n'), a, Buffer.from('\r\n'), b, a]);
    for (const size of [1, 2, 3, 7, 64, stream.length]) {
      const out: Buffer[] = [];
      const s = new MjpegSplitter((j) => out.push(j));
      for (let i = 0; i < stream.length; i += size) s.push(stream.subarray(i, i + size));
      expect(out.map((j) => j.toString('hex'))).toEqual([a, b, a].map((j) => j.toString('hex')));
    }
  });

  it('keeps nothing of a chunk past push(): chunks may come from one reused read buffer', () => {
    const stream = Buffer.concat([a, b, a, b]);
    for (const size of [1, 5, 16, 40]) {
      const out: Buffer[] = [];
      const s = new MjpegSplitter((j) => out.push(j));
      const readBuffer = Buffer.alloc(size);
      for (let i = 0; i < stream.length; i += size) {
        const n = stream.copy(readBuffer, 0, i, i + size);
        s.push(readBuffer.subarray(0, n));
        readBuffer.fill(0xee); // the next read overwrites it
      }
      expect(out.map((j) => j.toString('hex'))).toEqual([a, b, a, b].map((j) => j.toString('hex')));
    }
  });

  it('reads the frame size from SOF', () => {
    expect(jpegSize(a)).toEqual({ width: 640, height: 360 });
    expect(jpegSize(b)).toEqual({ width: 320, height: 240 });
  });

  it('resynchronises after garbage and reset()', () => {
    const out: Buffer[] = [];
    const s = new MjpegSplitter((j) => out.push(j));
    s.push(a.subarray(0, 20));
    s.reset();
    s.push(Buffer.from([0, 1, 2, 0xff]));
    s.push(b);
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(b)).toBe(true);
  });
});
