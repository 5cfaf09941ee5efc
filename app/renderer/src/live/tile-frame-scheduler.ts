import type { LiveFrame } from '../../../shared/domain/detection';

/** A decoded picture that owns memory until closed (ImageBitmap in the browser). */
export interface Closable {
  close(): void;
}

export interface TileFrameSchedulerDeps<B extends Closable> {
  /** Decodes a JPEG (browser: createImageBitmap(new Blob([jpeg]))). */
  decode(jpeg: Uint8Array): Promise<B>;
  /** Schedules a paint before the next display refresh (browser: requestAnimationFrame). */
  requestFrame(cb: () => void): unknown;
  cancelFrame(handle: unknown): void;
  /** Draws the picture and the overlay of the same frame. Must stop using the previous picture. */
  paint(picture: B, frame: LiveFrame): void;
}

/** Counters of one tile's pipeline (shown in tests and debug). */
export interface TileFrameCounters {
  received: number;
  /** Frames replaced by a newer one before their decode started. */
  droppedBeforeDecode: number;
  /** Decoded frames replaced by a newer one before they were painted. */
  droppedBeforePaint: number;
  decodeErrors: number;
  painted: number;
}

interface Shown<B> {
  picture: B;
  frame: LiveFrame;
}

/**
 * Per-tile scheduling of live frames: at most one decode runs; while it runs only the newest frame waits
 * (older ones are dropped, never queued); a decoded frame is painted on the next animation frame together
 * with its own detections; pictures that are replaced or dropped are closed at once.
 */
export class TileFrameScheduler<B extends Closable> {
  readonly counters: TileFrameCounters = { received: 0, droppedBeforeDecode: 0, droppedBeforePaint: 0, decodeErrors: 0, painted: 0 };
  private pending: LiveFrame | null = null;
  private decoding = false;
  private ready: Shown<B> | null = null;
  private shown: Shown<B> | null = null;
  private raf: unknown = null;
  private disposed = false;

  constructor(private readonly deps: TileFrameSchedulerDeps<B>) {}

  /** Accepts a frame from the transport; cheap, never blocks. */
  push(frame: LiveFrame): void {
    if (this.disposed) return;
    this.counters.received++;
    if (this.decoding) {
      if (this.pending) this.counters.droppedBeforeDecode++;
      this.pending = frame;
      return;
    }
    this.startDecode(frame);
  }

  /** The frame on screen now, if any. */
  current(): LiveFrame | null {
    return this.shown?.frame ?? null;
  }

  /** Paints the frame on screen again (after a resize or an overlay toggle). */
  repaint(): void {
    if (this.shown && !this.disposed) this.deps.paint(this.shown.picture, this.shown.frame);
  }

  /** Stops painting and closes every picture it holds. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.raf !== null) this.deps.cancelFrame(this.raf);
    this.raf = null;
    this.pending = null;
    this.ready?.picture.close();
    this.shown?.picture.close();
    this.ready = this.shown = null;
  }

  private startDecode(frame: LiveFrame): void {
    this.decoding = true;
    this.deps.decode(frame.jpeg).then(
      (picture) => {
        this.decoding = false;
        if (this.disposed) {
          picture.close();
          return;
        }
        if (this.ready) {
          this.ready.picture.close();
          this.counters.droppedBeforePaint++;
        }
        this.ready = { picture, frame };
        if (this.raf === null) this.raf = this.deps.requestFrame(() => this.paintReady());
        this.next();
      },
      () => {
        this.decoding = false;
        this.counters.decodeErrors++;
        if (!this.disposed) this.next();
      },
    );
  }

  private next(): void {
    const f = this.pending;
    if (!f) return;
    this.pending = null;
    this.startDecode(f);
  }

  private paintReady(): void {
    this.raf = null;
    const r = this.ready;
    if (!r || this.disposed) return;
    this.ready = null;
    this.deps.paint(r.picture, r.frame);
    this.shown?.picture.close();
    this.shown = r;
    this.counters.painted++;
  }
}
