import type { FrameHeader, LiveFrame } from '../domain/detection';

/**
 * Binary framing for a live frame on byte transports (WebSocket, sockets):
 *   [u32 LE header length][header JSON, UTF-8][JPEG bytes]
 */
const enc = new TextEncoder();
const dec = new TextDecoder();

export function encodeFrame(header: FrameHeader, jpeg: Uint8Array): Uint8Array {
  const h = enc.encode(JSON.stringify(header));
  const out = new Uint8Array(4 + h.length + jpeg.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 4);
  out.set(jpeg, 4 + h.length);
  return out;
}

export function decodeFrame(buf: Uint8Array): LiveFrame {
  if (buf.length < 4) throw new Error('frame too short');
  const n = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(0, true);
  if (4 + n > buf.length) throw new Error('frame header truncated');
  const header = JSON.parse(dec.decode(buf.subarray(4, 4 + n))) as FrameHeader;
  return { ...header, jpeg: buf.subarray(4 + n) };
}
