/**
 * Reuses frame-sized buffers. A fresh 0.5 MB buffer per frame costs its page faults every time (measured here:
 * about 0.3 ms of CPU per 519 KB frame, against next to nothing for a reused one) and feeds the GC; frames come in
 * a handful of sizes, so a few spare buffers per size are enough. Buffers given back must be whole (not views into
 * a larger one) and no longer used by anyone; detached (transferred) buffers are ignored.
 */
export class FrameBufferPool {
  private readonly free = new Map<number, ArrayBuffer[]>();

  constructor(private readonly perSize = 8) {}

  take(size: number): Uint8Array {
    const b = this.free.get(size)?.pop();
    return b ? new Uint8Array(b) : new Uint8Array(size);
  }

  give(buf: ArrayBufferLike | Uint8Array): void {
    const ab = ArrayBuffer.isView(buf) ? (buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? buf.buffer : null) : buf;
    if (!(ab instanceof ArrayBuffer) || ab.byteLength === 0) return;
    let list = this.free.get(ab.byteLength);
    if (!list) this.free.set(ab.byteLength, (list = []));
    if (list.length < this.perSize && !list.includes(ab)) list.push(ab);
  }

  /** Spare buffers held now (for tests). */
  get spare(): number {
    let n = 0;
    for (const l of this.free.values()) n += l.length;
    return n;
  }
}
