import type { Detection, FrameHeader } from '../../shared/domain/detection';
import type { InferenceClient, InferenceReply, ModelInputSpec } from '../inference/inference-api';

/**
 * Pairs the display JPEG and the raw inference frame of each analysed frame (same index = same source frame)
 * and decides what is emitted. Without inference every JPEG goes out at once with `detections: null`. With
 * inference at most one frame per camera is in flight; when its reply comes, the JPEG of that same seq is
 * emitted with its detections (recent JPEGs are kept in a small ring). Frames decoded while inference is busy
 * are counted as dropped. If the inference client cannot be created or fails, video keeps flowing with
 * `detections: null` and the client is retried later.
 */
export interface FramePipelineOptions {
  cameraId: string;
  analysisFps: number;
  inference?: { endpoint: string; spec: ModelInputSpec };
  createClient: (endpoint: string) => InferenceClient;
  emit: (header: FrameHeader, jpeg: Buffer) => void;
  log: (level: 'info' | 'warn', msg: string) => void;
  now?: () => number;
  /** A reply not received after this long frees the slot (the frame counts as dropped). Default 5 000 ms. */
  inferenceTimeoutMs?: number;
  /** Wait before recreating a failed inference client, ms. Default 10 000. */
  clientRetryMs?: number;
}

interface Pending {
  jpeg: Buffer;
  capturedAt: number;
  pts: number;
}
type OkReply = Extract<InferenceReply, { status: 'ok' }>;

const RING = 32;

export class FramePipeline {
  private client: InferenceClient | null = null;
  private clientError: string | null = null;
  private clientRetryAt = 0;
  private inFlight: { seq: number; at: number } | null = null;
  private readonly ring = new Map<number, Pending>();
  private readonly replies = new Map<number, OkReply | null>();
  private srcWidth = 0;
  private srcHeight = 0;
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
  }

  /** A new ffmpeg run starts: pending frames of the previous run are forgotten. */
  resetRun(): void {
    this.ring.clear();
    this.replies.clear();
    this.inFlight = null;
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
    this.inFlight = null;
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
      const reply = this.replies.get(seq) ?? null;
      this.replies.delete(seq);
      this.send(seq, pts, capturedAt, jpeg, reply);
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
    if (!client || !this.o.inference) return;
    // Boxes are mapped back through the source size: never send a frame before it is known.
    if (!this.hasSourceSize) {
      this.droppedFrames += 1;
      return;
    }
    if (this.inFlight && this.now() - this.inFlight.at > (this.o.inferenceTimeoutMs ?? 5_000)) this.inFlight = null;
    if (this.inFlight) {
      this.droppedFrames += 1;
      this.ring.delete(seq);
      return;
    }
    this.inFlight = { seq, at: this.now() };
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
    if (this.inFlight?.seq === reply.seq) this.inFlight = null;
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
      this.send(reply.seq, pending.pts, pending.capturedAt, pending.jpeg, ok);
    } else if (this.replies.size < RING) {
      this.replies.set(reply.seq, ok);
    }
  }

  private send(seq: number, pts: number, capturedAt: number, jpeg: Buffer, reply: OkReply | null): void {
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
    this.o.emit(header, jpeg);
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
