import type { DirectSink } from '../process/user-buffer-socket';

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

const EMPTY = Buffer.alloc(0);
/** Reads between bodies go here: a prefix, a header, often the start of the next body (copied on from here). */
const HEAD_READ_BYTES = 4096;

/**
 * Incremental decoder: feed socket chunks, get whole messages. Throws on oversized or malformed input. Nothing of
 * a chunk is kept past push() (a chunk may be a view into a read buffer that the next read overwrites).
 * A message's body is copied once, straight from the socket chunks into a buffer of its own (so it may be kept
 * or transferred to a thread); only the small prefix and JSON header are ever concatenated.
 *
 * Read from a socket through `target()`/`advance()` (a DirectSink, see user-buffer-socket.ts), a body is not copied
 * at all: the kernel writes it straight into its buffer, and only what one read brings beyond a header (at most
 * 4 KB) is copied there.
 */
export class WireDecoder {
  /** Prefix and header bytes of the next message, until complete. */
  private head: Buffer = EMPTY;
  private headerBytes = -1;
  private bodyBytes = 0;
  /** The message whose body is being filled. */
  private cur: { header: Record<string, unknown>; body: Uint8Array; filled: number } | null = null;

  /** Where reads between bodies land (target()), made on first use. */
  private scratch: Buffer | null = null;

  /** `alloc`: where bodies go (default a fresh buffer; the inference worker passes its FrameBufferPool). */
  constructor(private readonly alloc: (size: number) => Uint8Array = (n) => new Uint8Array(n)) {}

  /** Where the next bytes read should go: the rest of the body being filled, else a small head buffer. */
  target(): Uint8Array {
    const cur = this.cur;
    if (cur) return cur.body.subarray(cur.filled);
    return (this.scratch ??= Buffer.allocUnsafe(HEAD_READ_BYTES));
  }

  /** The first `n` bytes of the last target() were filled: the messages that completed. */
  advance(n: number): WireMessage[] {
    const cur = this.cur;
    if (!cur) return this.push(this.scratch!.subarray(0, n));
    cur.filled += n;
    if (cur.filled < cur.body.length) return [];
    this.cur = null;
    return [{ header: cur.header, body: cur.body }];
  }

  /**
   * This decoder as a socket reader (a DirectSink for adoptWithUserBuffer): reads land where target() says, and
   * `onRead` gets each read's decoding, to run where it can catch what bad input throws.
   */
  sink(onRead: (decode: () => WireMessage[]) => void): DirectSink {
    return {
      target: () => this.target(),
      advance: (n) => onRead(() => this.advance(n)),
      push: (chunk) => onRead(() => this.push(chunk)),
    };
  }

  push(chunk: Buffer): WireMessage[] {
    const out: WireMessage[] = [];
    let off = 0;
    for (;;) {
      const cur = this.cur;
      if (cur) {
        const n = Math.min(cur.body.length - cur.filled, chunk.length - off);
        if (n > 0) {
          cur.body.set(chunk.subarray(off, off + n), cur.filled);
          cur.filled += n;
          off += n;
        }
        if (cur.filled < cur.body.length) break;
        out.push({ header: cur.header, body: cur.body });
        this.cur = null;
        continue;
      }
      // (between push() calls `cur` is never a complete message: target() relies on it)
      if (off >= chunk.length) break;
      // prefix, then header: take only the bytes they need
      const want = this.headerBytes < 0 ? 8 : 8 + this.headerBytes;
      const n = Math.min(want - this.head.length, chunk.length - off);
      this.head = this.head.length ? Buffer.concat([this.head, chunk.subarray(off, off + n)]) : chunk.subarray(off, off + n);
      off += n;
      if (this.head.length < want) {
        // kept past this call: a copy (the chunk may be a reused read buffer, see user-buffer-socket.ts)
        if (this.head.buffer === chunk.buffer) this.head = Buffer.from(this.head);
        break;
      }
      if (this.headerBytes < 0) {
        const hl = this.head.readUInt32BE(0);
        const bl = this.head.readUInt32BE(4);
        if (hl > MAX_HEADER_BYTES || bl > MAX_BODY_BYTES) throw new Error(`inference message too large (header ${hl}, body ${bl})`);
        this.headerBytes = hl;
        this.bodyBytes = bl;
        if (hl > 0) continue;
      }
      const header = JSON.parse(this.head.subarray(8).toString('utf8')) as unknown;
      if (!header || typeof header !== 'object') throw new Error('inference message header is not an object');
      this.cur = { header: header as Record<string, unknown>, body: this.bodyBytes ? this.alloc(this.bodyBytes) : new Uint8Array(0), filled: 0 };
      this.head = EMPTY;
      this.headerBytes = -1;
      this.bodyBytes = 0;
    }
    return out;
  }
}
