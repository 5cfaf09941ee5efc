import type { Detection, FrameHeader } from '../../shared/domain/detection';
import { tileRects, type DetectionTiling, type TileRect } from '../../shared/domain/detection-tiling';
import type { InferenceClient, InferenceReply, ModelInputSpec } from '../inference/inference-api';
import { frameAppearances } from '../tracking/appearance';

/** Options of a FramePipeline. */
export interface FramePipelineOptions {
  cameraId: string;
  analysisFps: number;
  /** `tiling`: each raw frame holds one model input per tile (ffmpeg-args.ts); the boxes come back for the whole frame. */
  inference?: { endpoint: string; spec: ModelInputSpec; tiling?: DetectionTiling };
  createClient: (endpoint: string) => InferenceClient;
  /** One frame out; `looks` holds an appearance descriptor per detection (tracking/appearance.ts) when known. */
  emit: (header: FrameHeader, jpeg: Buffer, looks?: ReadonlyArray<Float32Array | null>) => void;
  log: (level: 'info' | 'warn', msg: string) => void;
  now?: () => number;
  /** A reply not received after this long frees the slot (the frame counts as dropped). Default 5 000 ms. */
  inferenceTimeoutMs?: number;
  /** Wait before recreating a failed inference client, ms. Default 10 000. */
  clientRetryMs?: number;
  /** Frames of this camera in flight to the inference worker at once. Default 1. */
  maxInFlight?: number;
  /**
   * Paced by inference: a raw frame that finds every slot busy is held (not dropped) and `pause(true)` asks the
   * owner to stop reading the raw output; `pause(false)` once the held frame went out.
   */
  pause?: (paused: boolean) => void;
  /** Hands back a raw frame nobody uses any more (dropped, or answered: the inference worker has read it). */
  recycle?: (data: Buffer) => void;
}

interface Pending {
  jpeg: Buffer;
  capturedAt: number;
  pts: number;
}
type OkReply = Extract<InferenceReply, { status: 'ok' }>;

const RING = 32;

/**
 * Pairs the display JPEG and the raw inference frame of each analysed frame (same index = same source frame)
 * and decides what is emitted. Without inference every JPEG goes out at once with `detections: null`. With
 * inference at most `maxInFlight` frames per camera (default one) are in flight; when a reply comes, the JPEG of
 * that same seq is emitted with its detections (recent JPEGs are kept in a small ring). Frames decoded while
 * inference is busy are counted as dropped, unless the pipeline is paced by inference (`pause`, for bench's
 * flat-out runs on files): then the frame is held and the owner stops reading ffmpeg until a slot frees, so
 * ffmpeg decodes no faster than inference takes frames. If the inference client cannot be created or fails,
 * video keeps flowing with `detections: null` and the client is retried later.
 */
export class FramePipeline {
  private client: InferenceClient | null = null;
  private clientError: string | null = null;
  private clientRetryAt = 0;
  /** seq -> when it was sent, and its raw frame. */
  private readonly inFlight = new Map<number, { at: number; data: Buffer }>();
  /** Raw frames waiting for a slot (paced mode only). */
  private held: { seq: number; pts: number; data: Buffer }[] = [];
  private paused = false;
  private readonly ring = new Map<number, Pending>();
  private readonly replies = new Map<number, { reply: OkReply | null; looks?: Array<Float32Array | null> }>();
  private srcWidth = 0;
  private srcHeight = 0;
  /** A tiled camera's tile rectangles for the current source size (null: untiled). */
  private tiles: TileRect[] | null = null;
  private readonly now: () => number;
  private disposed = false;
  /** Frames decoded but not emitted. */
  droppedFrames = 0;
  emittedFrames = 0;
  lastInferenceMs: number | undefined;
  /** Rolling emitted fps, refreshed by the owner for the HUD. */
  fps = 0;

  constructor(private readonly o: FramePipelineOptions) {
    this.now = o.now ?? Date.now;
  }

  get detectionStatus(): { status: 'off' | 'ok' | 'unavailable'; detail?: string; inferenceMs?: number } {
    if (!this.o.inference) return { status: 'off' };
    if (this.clientError) return { status: 'unavailable', detail: this.clientError };
    return { status: 'ok', ...(this.lastInferenceMs !== undefined ? { inferenceMs: this.lastInferenceMs } : {}) };
  }

  get hasSourceSize(): boolean {
    return this.srcWidth > 0 && this.srcHeight > 0;
  }

  setSourceSize(width: number, height: number): void {
    this.srcWidth = width;
    this.srcHeight = height;
    const tiling = this.o.inference?.tiling;
    this.tiles = tiling && width > 0 && height > 0 ? tileRects(width, height, tiling) : null;
  }

  /** A new ffmpeg run starts: pending frames of the previous run are forgotten. */
  resetRun(): void {
    this.ring.clear();
    this.replies.clear();
    this.inFlight.clear();
    this.releaseHeld(true);
  }

  private setPaused(paused: boolean): void {
    if (this.paused === paused || !this.o.pause) return;
    this.paused = paused;
    this.o.pause(paused);
  }

  /** Sends held frames while slots are free (`drop`: forgets them); resumes reading once none is held. */
  private releaseHeld(drop = false): void {
    if (drop) {
      for (const h of this.held) this.o.recycle?.(h.data);
      this.held = [];
    }
    while (this.held.length && this.inFlight.size < this.maxInFlight && this.client) {
      const h = this.held.shift()!;
      this.dispatch(this.client, h.seq, h.pts, h.data);
    }
    if (this.held.length === 0) this.setPaused(false);
  }

  private get maxInFlight(): number {
    return Math.max(1, this.o.maxInFlight ?? 1);
  }

  private ensureClient(): InferenceClient | null {
    if (!this.o.inference || this.disposed) return null;
    if (this.client) return this.client;
    if (this.now() < this.clientRetryAt) return null;
    try {
      this.client = this.o.createClient(this.o.inference.endpoint);
      if (this.clientError) this.o.log('info', 'detection available again');
      this.clientError = null;
    } catch (e) {
      this.failClient(`Detection unavailable: ${(e as Error).message}`);
    }
    return this.client;
  }

  private failClient(message: string): void {
    if (this.clientError !== message) this.o.log('warn', message);
    this.clientError = message;
    this.clientRetryAt = this.now() + (this.o.clientRetryMs ?? 10_000);
    try {
      this.client?.close();
    } catch {}
    this.client = null;
    this.inFlight.clear();
    this.releaseHeld(true);
  }

  /** Whether JPEGs must wait for their detections. */
  private get detecting(): boolean {
    return this.ensureClient() !== null;
  }

  onJpeg(seq: number, pts: number, jpeg: Buffer): void {
    const capturedAt = this.now();
    if (!this.detecting) {
      this.send(seq, pts, capturedAt, jpeg, null);
      return;
    }
    if (this.replies.has(seq)) {
      const r = this.replies.get(seq);
      this.replies.delete(seq);
      this.send(seq, pts, capturedAt, jpeg, r?.reply ?? null, r?.looks);
      return;
    }
    this.ring.set(seq, { jpeg, capturedAt, pts });
    for (const k of this.ring.keys()) {
      if (this.ring.size <= RING) break;
      this.ring.delete(k);
    }
  }

  onRaw(seq: number, pts: number, data: Buffer): void {
    const client = this.ensureClient();
    if (!client || !this.o.inference) {
      this.o.recycle?.(data);
      return;
    }
    // Boxes are mapped back through the source size: never send a frame before it is known.
    if (!this.hasSourceSize) {
      this.droppedFrames += 1;
      this.o.recycle?.(data);
      return;
    }
    const timeout = this.o.inferenceTimeoutMs ?? 5_000;
    // (a timed-out frame is not recycled: its write may still be pending)
    for (const [s, f] of this.inFlight) if (this.now() - f.at > timeout) this.inFlight.delete(s);
    if (this.inFlight.size >= this.maxInFlight) {
      if (this.o.pause) {
        this.held.push({ seq, pts, data });
        this.setPaused(true);
        return;
      }
      this.droppedFrames += 1;
      this.ring.delete(seq);
      this.o.recycle?.(data);
      return;
    }
    this.dispatch(client, seq, pts, data);
  }

  private dispatch(client: InferenceClient, seq: number, pts: number, data: Buffer): void {
    if (!this.o.inference) return;
    this.inFlight.set(seq, { at: this.now(), data });
    const spec = this.o.inference.spec;
    let p: Promise<InferenceReply>;
    try {
      p = client.detect({
        cameraId: this.o.cameraId,
        seq,
        pts,
        capturedAt: this.ring.get(seq)?.capturedAt ?? this.now(),
        srcWidth: this.srcWidth,
        srcHeight: this.srcHeight,
        data,
        spec,
        ...(this.tiles ? { tiles: this.tiles } : {}),
      });
    } catch (e) {
      this.failClient(`Detection unavailable: ${(e as Error).message}`);
      return;
    }
    p.then(
      (reply) => this.onReply(client, reply),
      (e: unknown) => {
        if (this.client === client) this.failClient(`Detection unavailable: ${(e as Error)?.message ?? String(e)}`);
      },
    );
  }

  private onReply(client: InferenceClient, reply: InferenceReply): void {
    if (this.disposed || this.client !== client) return;
    const sent = this.inFlight.get(reply.seq);
    this.inFlight.delete(reply.seq);
    // The tracker's appearance cue comes from the very pixels the model saw, before the buffer is reused.
    const looks = reply.status === 'ok' && sent ? this.looksOf(reply.detections, sent.data) : undefined;
    // The worker answered, so it has read the whole frame: its buffer is free again.
    if (sent) this.o.recycle?.(sent.data);
    this.releaseHeld();
    if (reply.status === 'dropped') {
      this.droppedFrames += 1;
      this.ring.delete(reply.seq);
      return;
    }
    const ok = reply.status === 'ok' ? reply : null;
    if (reply.status === 'error') this.o.log('warn', `inference error: ${reply.message}`);
    if (ok) this.lastInferenceMs = ok.inferenceMs;
    const pending = this.ring.get(reply.seq);
    if (pending) {
      this.ring.delete(reply.seq);
      this.send(reply.seq, pending.pts, pending.capturedAt, pending.jpeg, ok, looks);
    } else if (this.replies.size < RING) {
      this.replies.set(reply.seq, { reply: ok, looks });
    }
  }

  /** Appearance descriptors of the detections, from the model-input frame (or its tiles) the model saw. */
  private looksOf(detections: readonly Detection[], data: Buffer): Array<Float32Array | null> | undefined {
    const spec = this.o.inference?.spec;
    if (!spec || !detections.length || !this.srcWidth) return undefined;
    return frameAppearances(detections, data, spec, this.srcWidth, this.srcHeight, this.tiles);
  }

  private send(seq: number, pts: number, capturedAt: number, jpeg: Buffer, reply: OkReply | null, looks?: ReadonlyArray<Float32Array | null>): void {
    if (this.disposed) return;
    const detections: Detection[] | null = reply ? reply.detections : null;
    const header: FrameHeader = {
      cameraId: this.o.cameraId,
      seq,
      pts,
      capturedAt,
      width: this.srcWidth,
      height: this.srcHeight,
      detections,
      ...(reply ? { inferenceMs: reply.inferenceMs, detectedAt: reply.detectedAt, modelId: reply.modelId } : {}),
      stats: { analysisFps: this.fps, droppedFrames: this.droppedFrames },
    };
    this.emittedFrames += 1;
    this.o.emit(header, jpeg, looks);
  }

  dispose(): void {
    this.disposed = true;
    try {
      this.client?.close();
    } catch {}
    this.client = null;
    this.ring.clear();
    this.replies.clear();
  }
}
