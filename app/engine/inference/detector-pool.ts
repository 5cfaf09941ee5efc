import os from 'node:os';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { ModelManifest } from '../../shared/domain/model';
import { Detector, type DetectorFrame, type DetectorOptions, type DetectorResult } from './detector';
import type { ModelInputSpec } from './inference-api';
import { modelInputSpec } from './model-input-filter';
import type { ExecutionProviderName } from './ort-session';
import type { PostprocessOptions } from './postprocess';

/**
 * What the inference server runs frames on: one in-process Detector, or a pool of Detectors in worker threads.
 * ONNX Runtime's Node binding runs a session synchronously on its thread, so one thread = one inference at a
 * time; parallel sessions (each intraOpNumThreads=1) are how a CPU-only site uses more than one core.
 */
export interface FrameDetector {
  readonly manifest: ModelManifest;
  readonly provider: ExecutionProviderName;
  readonly spec: ModelInputSpec;
  readonly maxBatch: number;
  /** Runs that may be in flight at once. */
  readonly parallelism: number;
  detectBatch(frames: DetectorFrame[], post?: PostprocessOptions): Promise<DetectorResult[]>;
  dispose(): Promise<void>;
}

/** Serialisable subset of DetectorOptions for a thread (no logger). */
type ThreadOptions = Omit<DetectorOptions, 'logger'>;
interface ThreadRequest { id: number; frames: DetectorFrame[]; post?: PostprocessOptions }
/** `returned`: the request's frame buffers, transferred back for reuse. */
type ThreadReply = ({ id: number; ok: true; results: DetectorResult[] } | { id: number; ok: false; error: string }) & { returned?: ArrayBuffer[] };
type ThreadHello = { hello: true; ok: true; provider: ExecutionProviderName; maxBatch: number } | { hello: true; ok: false; error: string };

export const DETECTOR_THREAD_MARK = 'watchroom-detector-thread';

/** Default parallel sessions: one per core (at most 4) on CPU; one for GPU providers. */
export function defaultSessionCount(providers: readonly ExecutionProviderName[]): number {
  return providers.every((p) => p === 'cpu') ? Math.max(1, Math.min(4, os.availableParallelism())) : 1;
}

/** True in a thread started by DetectorPool; the bundle's entry then calls runDetectorThread() instead of main(). */
export const isDetectorThread = (): boolean => (workerData as { mark?: string } | null)?.mark === DETECTOR_THREAD_MARK;

/** Thread side: open a Detector and serve requests from the pool. */
export function runDetectorThread(): void {
  const port = parentPort!;
  const opts = (workerData as { options: ThreadOptions }).options;
  Detector.create(opts).then(
    (det) => {
      port.postMessage({ hello: true, ok: true, provider: det.provider, maxBatch: det.maxBatch } satisfies ThreadHello);
      port.on('message', (req: ThreadRequest | { close: true }) => {
        if ('close' in req) {
          void det.dispose().then(() => port.close());
          return;
        }
        const returned = ownedBuffers(req.frames);
        det.detectBatch(req.frames, req.post).then(
          (results) => port.postMessage({ id: req.id, ok: true, results, returned } satisfies ThreadReply, returned),
          (e: unknown) => port.postMessage({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e), returned } satisfies ThreadReply, returned),
        );
      });
    },
    (e: unknown) => port.postMessage({ hello: true, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies ThreadHello),
  );
}

class InProcess implements FrameDetector {
  readonly parallelism = 1;
  constructor(private readonly d: Detector) {}
  get manifest() { return this.d.manifest; }
  get provider() { return this.d.provider; }
  get spec() { return this.d.spec; }
  get maxBatch() { return this.d.maxBatch; }
  detectBatch(frames: DetectorFrame[], post?: PostprocessOptions) { return this.d.detectBatch(frames, post); }
  dispose() { return this.d.dispose(); }
}

interface Slot { worker: Worker; busy: boolean; pending: Map<number, (r: ThreadReply) => void> }

/** Buffers the frames own whole (never a pooled Buffer's shared slab), each once: safe to transfer. */
function ownedBuffers(frames: DetectorFrame[]): ArrayBuffer[] {
  return frames
    .filter((f) => f.data.byteOffset === 0 && f.data.byteLength === f.data.buffer.byteLength && f.data.buffer instanceof ArrayBuffer && f.data.byteLength > 0)
    .map((f) => f.data.buffer as ArrayBuffer)
    .filter((b, i, a) => a.indexOf(b) === i);
}

export class DetectorPool implements FrameDetector {
  private nextId = 1;
  private readonly waiters: (() => void)[] = [];
  private constructor(
    private readonly slots: Slot[],
    readonly manifest: ModelManifest,
    readonly provider: ExecutionProviderName,
    readonly spec: ModelInputSpec,
    readonly maxBatch: number,
  ) {}

  /** Called with each frame buffer a thread hands back (the inference server's FrameBufferPool). */
  recycle: ((b: ArrayBuffer) => void) | null = null;

  get parallelism(): number {
    return this.slots.length;
  }

  static async create(options: ThreadOptions, sessions: number, threadEntry: string): Promise<DetectorPool> {
    const started = Array.from({ length: sessions }, () => new Worker(threadEntry, { workerData: { mark: DETECTOR_THREAD_MARK, options } }));
    const hellos = await Promise.all(
      started.map(
        (w) =>
          new Promise<ThreadHello>((resolve) => {
            w.once('message', (m: ThreadHello) => resolve(m));
            w.once('error', (e) => resolve({ hello: true, ok: false, error: e.message }));
          }),
      ),
    );
    const bad = hellos.find((h) => !h.ok);
    if (bad && !bad.ok) {
      await Promise.all(started.map((w) => w.terminate()));
      throw new Error(bad.error);
    }
    const first = hellos[0] as Extract<ThreadHello, { ok: true }>;
    let pool: DetectorPool | null = null;
    const slots: Slot[] = started.map((worker) => {
      const slot: Slot = { worker, busy: false, pending: new Map() };
      worker.on('message', (m: ThreadReply) => {
        if (m.returned && pool?.recycle) for (const b of m.returned) pool.recycle(b);
        const cb = slot.pending.get(m.id);
        slot.pending.delete(m.id);
        cb?.(m);
      });
      worker.on('error', (e) => {
        for (const [id, cb] of slot.pending) cb({ id, ok: false, error: `detector thread failed: ${e.message}` });
        slot.pending.clear();
      });
      return slot;
    });
    pool = new DetectorPool(slots, options.manifest, first.provider, modelInputSpec(options.manifest), first.maxBatch);
    return pool;
  }

  async detectBatch(frames: DetectorFrame[], post?: PostprocessOptions): Promise<DetectorResult[]> {
    let slot = this.slots.find((s) => !s.busy);
    while (!slot) {
      await new Promise<void>((r) => this.waiters.push(r));
      slot = this.slots.find((s) => !s.busy);
    }
    slot.busy = true;
    const id = this.nextId++;
    try {
      const reply = await new Promise<ThreadReply>((resolve) => {
        slot.pending.set(id, resolve);
        // Transfer only buffers the frame owns whole (never a pooled Buffer's shared slab); they come back in the reply.
        slot.worker.postMessage({ id, frames, post } satisfies ThreadRequest, ownedBuffers(frames));
      });
      if (!reply.ok) throw new Error(reply.error);
      return reply.results;
    } finally {
      slot.busy = false;
      this.waiters.shift()?.();
    }
  }

  async dispose(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** One in-process Detector when `sessions` is 1 (or no thread entry is given), else a thread pool. */
export async function createFrameDetector(opts: DetectorOptions, sessions: number, threadEntry?: string, recycle?: (b: ArrayBuffer) => void): Promise<FrameDetector> {
  if (sessions <= 1 || !threadEntry) return new InProcess(await Detector.create(opts));
  const { logger: _logger, ...threadOptions } = opts;
  const pool = await DetectorPool.create(threadOptions, sessions, threadEntry);
  pool.recycle = recycle ?? null;
  return pool;
}
