/**
 * Cuts a raw video byte stream (ffmpeg `-f rawvideo`) into fixed-size frames. Frames are copied into buffers of
 * their own so that they can be kept while the stream goes on; a frame its user is done with may be handed back
 * (`recycle`) and is then reused, which saves a fresh half-megabyte allocation (page faults, GC) per frame. Read
 * through `target()`/`advance()` (a DirectSink), frames are not copied at all: each read lands in the frame.
 */
export class RawFrameSplitter {
  private current: Buffer;
  private filled = 0;
  /** Frames completed so far (the index of the next frame). */
  frames = 0;
  private readonly spare: Buffer[] = [];

  constructor(
    readonly frameBytes: number,
    private readonly onFrame: (frame: Buffer, index: number) => void,
  ) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new Error(`invalid raw frame size ${frameBytes}`);
    this.current = Buffer.allocUnsafe(frameBytes);
  }

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(this.frameBytes - this.filled, chunk.length - off);
      chunk.copy(this.current, this.filled, off, off + n);
      off += n;
      this.advance(n);
    }
  }

  /** Where the next bytes read should go: the rest of the frame being filled (read straight into it, no copy). */
  target(): Buffer {
    return this.current.subarray(this.filled);
  }

  /** The first `n` bytes of the last target() were filled. */
  advance(n: number): void {
    this.filled += n;
    if (this.filled < this.frameBytes) return;
    const frame = this.current;
    this.current = this.spare.pop() ?? Buffer.allocUnsafe(this.frameBytes);
    this.filled = 0;
    const index = this.frames++;
    this.onFrame(frame, index);
  }

  /** Takes back a frame nobody uses any more (kept for reuse, at most 4). */
  recycle(frame: Buffer): void {
    if (frame.length === this.frameBytes && frame !== this.current && this.spare.length < 4 && !this.spare.includes(frame)) this.spare.push(frame);
  }

  /** Drops a partial frame and restarts numbering (after the producer restarted). */
  reset(): void {
    this.filled = 0;
    this.frames = 0;
  }
}
