import fs from 'node:fs';
import net from 'node:net';
import type { Logger } from '../logging/logger';
import { nullLogger } from '../logging/logger';
import type { DetectorHolder } from './detector-holder';
import type { DetectorResult } from './detector';
import { FairScheduler } from './fair-scheduler';
import { FrameBufferPool } from './frame-buffer-pool';
import { encodeMessage, MAX_BODY_BYTES, WireDecoder, type WireMessage } from './frame-wire';
import { FrameRingReader, sweepStaleFrameRings } from './frame-ring';
import { adoptWithUserBuffer } from '../process/user-buffer-socket';
import type { FrameForInference, InferenceReply, ModelInputSpec } from './inference-api';
import type { TileRect } from '../../shared/domain/detection-tiling';

/** Per-camera figures in the worker's periodic `{type:'stats'}` message. */
export interface CameraInferenceStats {
  processed: number;
  dropped: number;
  errors: number;
  avgInferenceMs: number;
}

type Job = Omit<FrameForInference, 'spec'> & { spec: ModelInputSpec };

/**
 * The inference worker's socket server: camera workers connect as clients and send frames; a FairScheduler
 * (one slot per camera, latest wins, round-robin) feeds the held Detector.
 */
export class InferenceServer {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  readonly scheduler: FairScheduler<Job, DetectorResult & { modelId: string }>;

  constructor(
    readonly endpoint: string,
    private readonly holder: DetectorHolder,
    private readonly logger: Logger = nullLogger,
    /** Frame bodies are read into these buffers and given back once their frame is done (see DetectorPool). */
    readonly pool: FrameBufferPool = new FrameBufferPool(),
  ) {
    this.scheduler = new FairScheduler(
      async (batch) => {
        // one run holds frames of one model (the scheduler groups them by spec.modelId)
        const det = this.holder.forModel(batch[0]?.item.spec.modelId);
        if (!det) throw new Error(this.holder.lastError ?? 'no detector is installed (run `npm run models -- list`)');
        for (const b of batch) {
          const s = b.item.spec;
          if (s.width !== det.spec.width || s.height !== det.spec.height || s.letterbox !== det.spec.letterbox) {
            throw new Error(`frame was prepared for ${s.modelId} ${s.width}x${s.height} ${s.letterbox}; the active model ${det.manifest.id} needs ${det.spec.width}x${det.spec.height} ${det.spec.letterbox}`);
          }
        }
        const rs = await det.detectBatch(batch.map((b) => ({ data: b.item.data, srcWidth: b.item.srcWidth, srcHeight: b.item.srcHeight, colour: b.item.spec.colour, ...(b.item.tiles ? { tiles: b.item.tiles } : {}) })));
        return rs.map((r) => ({ ...r, modelId: det.manifest.id }));
      },
      (group) => this.holder.forModel(group)?.maxBatch ?? 1,
      (r) => r.inferenceMs,
      // the most parallel sessions any loaded model has: a second model shares the cores, it does not add any
      () => Math.max(1, ...this.holder.all().map((d) => d.parallelism)),
      (job) => job.spec.modelId,
      // a tiled frame is one turn of its camera, as many model inputs as it has tiles
      (job) => job.tiles?.length ?? 1,
    );
  }

  async listen(): Promise<void> {
    if (process.platform !== 'win32' && fs.existsSync(this.endpoint)) fs.unlinkSync(this.endpoint);
    sweepStaleFrameRings();
    // paused on connect: each connection is then read through one reused buffer (see adoptWithUserBuffer)
    const server = net.createServer({ pauseOnConnect: true }, (s) => this.onConnection(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.endpoint, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  stats(): Record<string, CameraInferenceStats> {
    const snap = this.scheduler.snapshot();
    return Object.fromEntries(Object.entries(snap).map(([id, s]) => [id, { processed: s.processed, dropped: s.dropped, errors: s.errors, avgInferenceMs: s.processed ? s.totalMs / s.processed : 0 }]));
  }

  async close(): Promise<void> {
    this.scheduler.close();
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    if (process.platform !== 'win32') fs.rmSync(this.endpoint, { force: true });
  }

  private onConnection(accepted: net.Socket): void {
    const decoder = new WireDecoder((n) => this.pool.take(n));
    const rings = new FrameRingReader();
    let socket: net.Socket | null = null;
    const deliver = (read: () => WireMessage[]) => {
      if (!socket || socket.destroyed) return;
      let msgs;
      try {
        msgs = read();
      } catch (e) {
        this.logger.warn('bad inference message; closing the connection', { error: (e as Error).message });
        socket.destroy();
        return;
      }
      for (const m of msgs) this.onMessage(socket, m.header, m.body, rings);
    };
    // Frame bytes are read straight into a pooled frame buffer (WireDecoder.target()): no copy in this process.
    const adopted = adoptWithUserBuffer(accepted, decoder.sink(deliver));
    socket = adopted.socket;
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      rings.close();
    });
    socket.on('error', () => undefined);
  }

  private onMessage(socket: net.Socket, h: Record<string, unknown>, inline: Uint8Array, rings: FrameRingReader): void {
    if (h.type !== 'detect' || typeof h.id !== 'number') return;
    const id = h.id;
    const seq = typeof h.seq === 'number' ? h.seq : -1;
    const reply = (r: InferenceReply) => {
      if (socket.destroyed) return;
      socket.cork();
      for (const p of encodeMessage({ type: 'reply', id, reply: r })) socket.write(p);
      socket.uncork();
    };
    const spec = h.spec as ModelInputSpec | undefined;
    const cameraId = typeof h.cameraId === 'string' ? h.cameraId : '';
    let body = inline;
    const tiles = h.tiles === undefined ? undefined : parseTiles(h.tiles, h.srcWidth, h.srcHeight);
    if (tiles === null) {
      reply({ status: 'error', seq, message: 'malformed tiles (at most 17 rectangles inside the frame)' });
      if (inline.length) this.pool.give(inline);
      return;
    }
    const inputs = tiles?.length ?? 1;
    const ringBytes = spec && Number.isInteger(spec.width) && Number.isInteger(spec.height) ? spec.width * spec.height * 3 * inputs : 0;
    if (h.ring !== undefined && inline.length === 0 && ringBytes > 0 && ringBytes <= MAX_BODY_BYTES) {
      // the frame waits in the camera's frame ring (frame-ring.ts): read it now, before answering frees its slot
      body = this.pool.take(ringBytes);
      try {
        rings.read(h.ring, body);
      } catch (e) {
        this.pool.give(body);
        reply({ status: 'error', seq, message: `frame ring unavailable: ${(e as Error).message}` });
        return;
      }
    }
    if (!spec || !cameraId || typeof h.srcWidth !== 'number' || typeof h.srcHeight !== 'number' || body.length !== spec.width * spec.height * 3 * inputs) {
      reply({ status: 'error', seq, message: `malformed frame (${body.length} bytes for ${inputs} x ${spec?.width}x${spec?.height})` });
      this.pool.give(body);
      return;
    }
    const det = this.holder.forModel(spec.modelId);
    if (det && (spec.width !== det.spec.width || spec.height !== det.spec.height || spec.letterbox !== det.spec.letterbox)) {
      // answered at once, so one mis-prepared camera never fails a batch shared with others
      reply({ status: 'error', seq, message: `frame was prepared for ${spec.modelId} ${spec.width}x${spec.height} ${spec.letterbox}; the active model ${det.manifest.id} needs ${det.spec.width}x${det.spec.height} ${det.spec.letterbox}` });
      this.pool.give(body);
      return;
    }
    // The body is already a buffer of its own (WireDecoder copies it once out of the socket chunks).
    const job: Job = { cameraId, seq, pts: Number(h.pts ?? 0), capturedAt: Number(h.capturedAt ?? 0), srcWidth: h.srcWidth, srcHeight: h.srcHeight, data: body, spec, ...(tiles ? { tiles } : {}) };
    void this.scheduler.submit(cameraId, job).then((o) => {
      // Done with the frame: back to the pool (a frame transferred to a detector thread is detached here and
      // comes back through the DetectorPool instead).
      this.pool.give(body);
      if (o.status === 'done') reply({ status: 'ok', seq, detections: o.value.detections, inferenceMs: o.value.inferenceMs, modelId: o.value.modelId, detectedAt: Date.now() });
      else if (o.status === 'dropped') reply({ status: 'dropped', seq });
      else reply({ status: 'error', seq, message: o.message });
    });
  }
}

/** Tiles from a frame header: at most 17 whole-pixel rectangles inside the frame; null when malformed. */
function parseTiles(raw: unknown, srcWidth: unknown, srcHeight: unknown): TileRect[] | null {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 17 || typeof srcWidth !== 'number' || typeof srcHeight !== 'number') return null;
  const out: TileRect[] = [];
  for (const t of raw as unknown[]) {
    const r = t as Partial<TileRect> | null;
    if (!r || ![r.x, r.y, r.width, r.height].every((v) => Number.isInteger(v))) return null;
    const { x, y, width, height } = r as TileRect;
    if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > srcWidth || y + height > srcHeight) return null;
    out.push({ x, y, width, height });
  }
  return out;
}
