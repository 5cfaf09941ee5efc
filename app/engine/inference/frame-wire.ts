/**
 * Length-prefixed binary framing for the inference socket: [u32 BE header bytes][u32 BE body bytes][JSON header]
 * [raw body]. Frames travel as raw bytes (no base64, no structured clone).
 */
export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface WireMessage {
  header: Record<string, unknown>;
  body: Uint8Array;
}

export function encodeMessage(header: Record<string, unknown>, body?: Uint8Array): Buffer[] {
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.allocUnsafe(8);
  prefix.writeUInt32BE(h.length, 0);
  prefix.writeUInt32BE(body?.length ?? 0, 4);
  return body && body.length ? [prefix, h, Buffer.from(body.buffer, body.byteOffset, body.length)] : [prefix, h];
}

/** Incremental decoder: feed socket chunks, get whole messages. Throws on oversized or malformed input. */
export class WireDecoder {
  private chunks: Buffer[] = [];
  private size = 0;

  push(chunk: Buffer): WireMessage[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const out: WireMessage[] = [];
    for (;;) {
      if (this.size < 8) break;
      const head = this.peek(8);
      const hl = head.readUInt32BE(0);
      const bl = head.readUInt32BE(4);
      if (hl > MAX_HEADER_BYTES || bl > MAX_BODY_BYTES) throw new Error(`inference message too large (header ${hl}, body ${bl})`);
      if (this.size < 8 + hl + bl) break;
      const all = this.take(8 + hl + bl);
      const header = JSON.parse(all.subarray(8, 8 + hl).toString('utf8')) as unknown;
      if (!header || typeof header !== 'object') throw new Error('inference message header is not an object');
      out.push({ header: header as Record<string, unknown>, body: all.subarray(8 + hl) });
    }
    return out;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!;
    const b = Buffer.concat(this.chunks);
    this.chunks = [b];
    return b;
  }

  private take(n: number): Buffer {
    const b = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const rest = b.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
    return b.subarray(0, n);
  }
}
