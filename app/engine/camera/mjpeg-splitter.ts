/** Options of an MjpegSplitter. */
export interface MjpegSplitterOptions {
  /** A JPEG larger than this is discarded (corrupt stream guard). Default 16 MiB. */
  maxImageBytes?: number;
}

/**
 * Splits a concatenated MJPEG byte stream (ffmpeg `-f mjpeg`, or a multipart body with its part headers)
 * into whole JPEG images. It walks the JPEG marker segments up to SOS, then scans the entropy-coded data for
 * the EOI marker (0xFF 0xD9), skipping byte stuffing (FF 00) and restart markers (FF D0..D7), so a JPEG whose
 * header segments happen to contain FF D9 is not cut short. Bytes between images are discarded.
 */
export class MjpegSplitter {
  private chunks: Buffer[] = [];
  private buf: Buffer = Buffer.alloc(0);
  /** Parse position inside `buf` for the image being assembled (-1: looking for SOI). */
  private pos = -1;
  /** true once the scan reached the entropy-coded data after SOS. */
  private inScan = false;
  private readonly maxImageBytes: number;
  /** Bytes discarded because they were not part of any JPEG. */
  discardedBytes = 0;

  constructor(
    private readonly onImage: (jpeg: Buffer) => void,
    options: MjpegSplitterOptions = {},
  ) {
    this.maxImageBytes = options.maxImageBytes ?? 16 * 1024 * 1024;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.buf = this.chunks.length === 1 && this.buf.length === 0 ? chunk : Buffer.concat([this.buf, ...this.chunks]);
    this.chunks = [];
    this.drain();
    // Nothing of `chunk` is kept past this call (it may be a reused read buffer): the partial image is copied.
    if (this.buf.length && this.buf.buffer === chunk.buffer) this.buf = Buffer.from(this.buf);
  }

  /** Drops any partial image (after the producer restarted). */
  reset(): void {
    this.buf = Buffer.alloc(0);
    this.chunks = [];
    this.pos = -1;
    this.inScan = false;
  }

  private drain(): void {
    for (;;) {
      if (this.pos < 0) {
        const soi = findSoi(this.buf, 0);
        if (soi < 0) {
          // Keep a trailing 0xFF: it may be the first byte of an SOI split across chunks.
          const keep = this.buf.length > 0 && this.buf[this.buf.length - 1] === 0xff ? 1 : 0;
          this.discardedBytes += this.buf.length - keep;
          this.buf = this.buf.subarray(this.buf.length - keep);
          return;
        }
        this.discardedBytes += soi;
        this.buf = this.buf.subarray(soi);
        this.pos = 2;
        this.inScan = false;
      }
      const end = this.advance();
      if (end === 'more') {
        if (this.buf.length > this.maxImageBytes) {
          this.discardedBytes += this.buf.length;
          this.buf = Buffer.alloc(0);
          this.pos = -1;
        }
        return;
      }
      if (end === 'corrupt') {
        // Resynchronise on the next SOI after this one.
        this.discardedBytes += 2;
        this.buf = this.buf.subarray(2);
        this.pos = -1;
        continue;
      }
      const image = Buffer.from(this.buf.subarray(0, end));
      this.buf = this.buf.subarray(end);
      this.pos = -1;
      this.onImage(image);
    }
  }

  /** Advances `pos` through the current image; returns the end offset (exclusive) once EOI is found. */
  private advance(): number | 'more' | 'corrupt' {
    const b = this.buf;
    let p = this.pos;
    while (!this.inScan) {
      if (p + 4 > b.length) return this.save(p);
      if (b[p] !== 0xff) return 'corrupt';
      const marker = b[p + 1]!;
      if (marker === 0xff) {
        p += 1; // fill byte
        continue;
      }
      if (marker === 0xd9) return p + 2;
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        p += 2;
        continue;
      }
      const len = (b[p + 2]! << 8) | b[p + 3]!;
      if (len < 2) return 'corrupt';
      if (p + 2 + len > b.length) return this.save(p);
      p += 2 + len;
      if (marker === 0xda) this.inScan = true;
    }
    // Entropy-coded data: FF 00 is stuffing, FF D0..D7 restart markers, FF FF fill; anything else is a marker.
    for (;;) {
      const ff = b.indexOf(0xff, p);
      if (ff < 0 || ff + 1 >= b.length) return this.save(ff < 0 ? b.length : ff);
      const next = b[ff + 1]!;
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
        p = ff + (next === 0xff ? 1 : 2);
        continue;
      }
      if (next === 0xd9) return ff + 2;
      // Another segment (e.g. DHT/SOS of a progressive JPEG): back to segment parsing.
      this.inScan = false;
      this.pos = ff;
      return this.advance();
    }
  }

  private save(p: number): 'more' {
    this.pos = p;
    return 'more';
  }
}

function findSoi(b: Buffer, from: number): number {
  let i = b.indexOf(0xff, from);
  while (i >= 0 && i + 1 < b.length) {
    if (b[i + 1] === 0xd8) return i;
    i = b.indexOf(0xff, i + 1);
  }
  return -1;
}

/** Width and height from a JPEG's SOFn segment, or null. */
export function jpegSize(jpeg: Uint8Array): { width: number; height: number } | null {
  let p = 2;
  while (p + 9 < jpeg.length) {
    if (jpeg[p] !== 0xff) return null;
    const m = jpeg[p + 1]!;
    if (m === 0xff) {
      p += 1;
      continue;
    }
    const len = (jpeg[p + 2]! << 8) | jpeg[p + 3]!;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      return { height: (jpeg[p + 5]! << 8) | jpeg[p + 6]!, width: (jpeg[p + 7]! << 8) | jpeg[p + 8]! };
    }
    p += 2 + len;
  }
  return null;
}
