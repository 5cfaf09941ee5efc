import type { Box, Detection, FrameGatedReason, FrameHeader } from '../../shared/domain/detection';
import { tileRects, type DetectionTiling, type TileRect } from '../../shared/domain/detection-tiling';
import type { MotionGating } from '../../shared/domain/motion-gating';
import type { Rule } from '../../shared/domain/rules';
import type { InferenceClient, InferenceReply, ModelInputSpec } from '../inference/inference-api';
import { DetectionGate, gateRegions, type GateReason, type GateTrack } from '../motion/detection-gate';
import { MotionDetector } from '../motion/motion-detector';
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
  /** Motion-gated detection for this camera (absent: off, every analysed frame is detected). */
  motionGating?: MotionGating;
  /** The camera's rules: motion near them matters (gateRegions). */
  rules?: readonly Rule[];
  /** The camera's live tracks after the last analysed frame (the analytics stage's). */
  liveTracks?: () => readonly GateTrack[];
}

/** What became of one analysed frame: the detector's reply, or why it did not run. */
interface Outcome {
  reply: OkReply | null;
  looks?: Array<Float32Array | null>;
  gated?: FrameGatedReason;
  motionBoxes?: Box[];
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
 *
 * Before a raw frame goes to inference, two checks may keep it back (it then goes out with `detections: []` and
 * `gated` saying why, and still reaches the tracker and rules, exactly as eval's suite-score.ts simulates):
 * - motion-gated detection (`motionGating` on): a MotionDetector runs on the very bytes the detector would get
 *   and the camera's DetectionGate decides from that motion and the live tracks of the previous analysed frame
 *   (`liveTracks`); a skipped frame is gated `idle`;
 * - a reduced analysis rate (`setReducedRate`, from the engine's analysis-rate governor): only the frames that fit
 *   the reduced rate go to inference, the others are gated `load`. ffmpeg keeps running at the configured rate.
 */
export class FramePipeline {
  private client: InferenceClient | null = null;
  private clientError: string | null = null;
  private clientRetryAt = 0;
  /** seq -> when it was sent, its raw frame, and the motion found in it. */
  private readonly inFlight = new Map<number, { at: number; data: Buffer; motionBoxes?: Box[] }>();
  /** Raw frames waiting for a slot (paced mode only). */
  private held: { seq: number; pts: number; data: Buffer }[] = [];
  private paused = false;
  private readonly ring = new Map<number, Pending>();
  private readonly replies = new Map<number, Outcome>();
  private motion: MotionDetector | null = null;
  private readonly gate: DetectionGate | null = null;
  /** Analysis rate while reduced for load (null: the configured rate), and the credit of frames that may go. */
  private reducedFps: number | null = null;
  private rateCredit = 0;
  /** Analysed frames the detector ran on / that were gated (idle or load), since the worker started. */
  detectedFrames = 0;
  gatedFrames = 0;
  /** The gate's last decision (for the Health page). */
  lastGateReason: GateReason | null = null;
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
    const g = o.motionGating;
    if (o.inference && g?.enabled) {
      this.motion = new MotionDetector(g.sensitivity);
      this.gate = new DetectionGate({ enabled: true, regions: gateRegions(o.rules ?? []) });
    }
  }

  /** New rules: motion near them is what matters from now on. */
  setRules(rules: readonly Rule[]): void {
    this.gate?.setOptions({ enabled: true, regions: gateRegions(rules) });
  }

  /**
   * The analysis rate while the detector cannot keep up (null: back to the configured rate). Applied from the next
   * raw frame on, without restarting ffmpeg: the frames beyond the reduced rate go out gated `load`.
   */
  setReducedRate(fps: number | null): void {
    this.reducedFps = fps !== null && fps < this.o.analysisFps ? fps : null;
    this.rateCredit = 0;
  }

  get reducedRate(): number | null {
    return this.reducedFps;
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
    // the motion background and the gate start over: the first frames of a run are detected (warm-up)
    if (this.motion && this.o.motionGating) this.motion = new MotionDetector(this.o.motionGating.sensitivity);
    this.gate?.reset();
    this.rateCredit = 0;
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
    const r = this.replies.get(seq);
    if (r) {
      this.replies.delete(seq);
      this.send(seq, pts, capturedAt, jpeg, r);
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
    const gated = this.admit(pts, data);
    if (gated.gated) {
      this.gatedFrames += 1;
      this.o.recycle?.(data);
      this.settle(seq, { reply: null, ...gated });
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
    this.dispatch(client, seq, pts, data, gated.motionBoxes);
  }

  /**
   * Whether this raw frame goes to the detector: the motion check and the gate (motion-gated detection), then the
   * reduced rate. Returns the motion boxes, and `gated` when the frame stays back.
   */
  private admit(pts: number, data: Buffer): { gated?: FrameGatedReason; motionBoxes?: Box[] } {
    let motionBoxes: Box[] | undefined;
    let detect = true;
    if (this.motion && this.gate && this.o.inference) {
      const m = this.motion.update(data, this.o.inference.spec, this.srcWidth, this.srcHeight, this.tiles);
      if (m.boxes.length) motionBoxes = m.boxes;
      const d = this.gate.decide(pts * 1000, m, this.o.liveTracks?.() ?? []);
      this.lastGateReason = d.reason;
      detect = d.detect;
    }
    const rate = this.reducedFps;
    if (rate !== null && this.o.analysisFps > 0) {
      // a credit of frames: each raw frame earns rate / analysisFps of one, a detected frame spends one; idle
      // frames bank no more than one (the next frame that matters goes at once)
      this.rateCredit += rate / this.o.analysisFps;
      if (detect && this.rateCredit < 1 - 1e-9) return { gated: 'load', ...(motionBoxes ? { motionBoxes } : {}) };
      if (detect) this.rateCredit -= 1;
      else this.rateCredit = Math.min(1, this.rateCredit);
    }
    if (!detect) return { gated: 'idle', ...(motionBoxes ? { motionBoxes } : {}) };
    return motionBoxes ? { motionBoxes } : {};
  }

  /** A frame's outcome is known: its JPEG goes out now, or when it arrives. */
  private settle(seq: number, outcome: Outcome): void {
    const pending = this.ring.get(seq);
    if (pending) {
      this.ring.delete(seq);
      this.send(seq, pending.pts, pending.capturedAt, pending.jpeg, outcome);
    } else if (this.replies.size < RING) {
      this.replies.set(seq, outcome);
    }
  }

  private dispatch(client: InferenceClient, seq: number, pts: number, data: Buffer, motionBoxes?: Box[]): void {
    if (!this.o.inference) return;
    this.detectedFrames += 1;
    this.inFlight.set(seq, { at: this.now(), data, ...(motionBoxes ? { motionBoxes } : {}) });
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
    this.settle(reply.seq, { reply: ok, ...(looks ? { looks } : {}), ...(sent?.motionBoxes ? { motionBoxes: sent.motionBoxes } : {}) });
  }

  /** Appearance descriptors of the detections, from the model-input frame (or its tiles) the model saw. */
  private looksOf(detections: readonly Detection[], data: Buffer): Array<Float32Array | null> | undefined {
    const spec = this.o.inference?.spec;
    if (!spec || !detections.length || !this.srcWidth) return undefined;
    return frameAppearances(detections, data, spec, this.srcWidth, this.srcHeight, this.tiles);
  }

  private send(seq: number, pts: number, capturedAt: number, jpeg: Buffer, outcome: Outcome | null): void {
    if (this.disposed) return;
    const reply = outcome?.reply ?? null;
    // a gated frame: detection is on and found nothing to look at (the tracker still gets the frame)
    const detections: Detection[] | null = reply ? reply.detections : outcome?.gated ? [] : null;
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
      ...(outcome?.gated ? { gated: outcome.gated } : {}),
      ...(outcome?.motionBoxes ? { motionBoxes: outcome.motionBoxes } : {}),
      ...(this.reducedFps !== null ? { reducedFps: this.reducedFps } : {}),
    };
    this.emittedFrames += 1;
    this.o.emit(header, jpeg, outcome?.looks);
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
