import { parseArgs } from 'node:util';
import { FaceLookRequestSchema, type FaceLookReply, type FaceLookRequest } from '../faces/face-look';
import { FaceLookThread, isFaceLookThread, runFaceLookThread } from '../faces/face-look-thread';
import { createWorkerLogger } from '../logging/worker-logger';
import { getParentChannel } from '../process/parent-port';
import { manifestDirs, resolveModelsDir } from '../models/models-dir';
import { ModelRegistry } from '../models/model-registry';
import { resolveModel } from '../models/model-resolve';
import { DetectorHolder } from './detector-holder';
import { defaultSessionCount, isDetectorThread, runDetectorThread } from './detector-pool';
import { newInferenceEndpoint } from './inference-endpoint';
import { FrameBufferPool } from './frame-buffer-pool';
import { IdleTimeQueue } from './idle-time-queue';
import { InferenceServer } from './inference-server';
import type { ExtraModelRequest, FromInferenceWorker, ToInferenceWorker } from './inference-worker-protocol';
import { parseExecutionProviders } from './ort-session';

/**
 * The shared inference worker (dist/node/inference-worker.cjs), started by inference-host.ts. Arguments (or env):
 *   --endpoint <socket|pipe>  (WATCHROOM_INFERENCE_ENDPOINT; default: a fresh one)
 *   --model <path|id>         (default: the registry's best installed model)
 *   --models-dir / --data-dir (WATCHROOM_DATA_DIR)
 *   --ep cuda,dml,coreml,cpu  (WATCHROOM_EP; CPU is always the fallback)
 *   --threads N               (WATCHROOM_INTRA_OP_THREADS; default 1)
 *   --sessions N              parallel sessions in threads (WATCHROOM_INFERENCE_SESSIONS; default: cores, max 4, on CPU)
 *   --stats-ms N              (default 2000)
 * Messages to and from the host: inference-worker-protocol.ts.
 *
 * Face looks (`face-look`, the live face step of issue 23) run here too, as a low-priority job class: an
 * IdleTimeQueue that starts a look only when the FairScheduler has no detection frame waiting and a session
 * free, holds that session while the look runs, and after a look that kept frames waiting rests in proportion,
 * so that looks keep frames waiting at most FACE_LOOK_SHARE of the time; one look at a time, at most
 * FACE_LOOKS_WAITING waiting (one per camera). The looks run in a thread of their own (face-look-thread.ts), whose
 * face models (FaceAnalyzer, one intra-op thread) open on the first look and are released when the worker stops.
 */
const channel = isDetectorThread() || isFaceLookThread() ? null : getParentChannel();

/** Every message to the host goes through here, so that it matches the protocol. */
function send(message: FromInferenceWorker): void {
  channel?.send(message);
}

/** Lines go to the inference host's logger (worker-logger.ts), redacted before they leave this process. */
const logger = createWorkerLogger((m) => send(m));

/** Face looks that may wait at once (one per camera; FaceWatch sends one look per camera at a time). */
const FACE_LOOKS_WAITING = 8;
/** The most of the time looks may keep detection frames waiting (checked by `npm run bench -- --only faces`). */
const FACE_LOOK_SHARE = 0.05;

async function main(): Promise<void> {
  if (!channel) return;
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      model: { type: 'string' },
      'models-dir': { type: 'string' },
      'data-dir': { type: 'string' },
      ep: { type: 'string' },
      threads: { type: 'string' },
      sessions: { type: 'string' },
      'stats-ms': { type: 'string' },
    },
    strict: false,
  });
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const endpoint = str(values.endpoint) ?? process.env.WATCHROOM_INFERENCE_ENDPOINT ?? newInferenceEndpoint();
  const modelsDir = resolveModelsDir({ modelsDir: str(values['models-dir']), dataDir: str(values['data-dir']) });
  const registry = new ModelRegistry({ dirs: manifestDirs(modelsDir), modelsDir, logger });
  const executionProviders = parseExecutionProviders(str(values.ep) ?? process.env.WATCHROOM_EP);
  const intraOpNumThreads = Number(str(values.threads) ?? process.env.WATCHROOM_INTRA_OP_THREADS ?? 1) || 1;
  const sessions = Math.max(1, Number(str(values.sessions) ?? process.env.WATCHROOM_INFERENCE_SESSIONS ?? defaultSessionCount(executionProviders)) || 1);
  const pool = new FrameBufferPool();
  const holder = new DetectorHolder(logger, (b) => pool.give(b));

  const load = async (modelArg: string | undefined): Promise<void> => {
    try {
      const m = await resolveModel(modelArg, registry);
      await holder.load({ manifest: m.manifest, model: m.file, executionProviders, intraOpNumThreads, logger }, sessions, __filename);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      logger.error('model not loaded; keeping the previous one', { error, kept: holder.current?.manifest.id ?? null });
      holder.noteError(error);
    }
    const d = holder.current;
    send({ type: 'model', modelId: d?.manifest.id ?? null, executionProvider: d?.provider ?? null, error: holder.lastError });
  };

  // Extras: one sync at a time, the latest wish wins.
  let extrasChain = Promise.resolve();
  const syncExtras = (models: ExtraModelRequest[]) => {
    extrasChain = extrasChain.then(async () => {
      await holder.retainExtras(new Set(models.map((m) => m.id)));
      for (const w of models) {
        if (holder.hasExtra(w.id) || holder.current?.manifest.id === w.id) continue;
        try {
          const m = await resolveModel(w.model, registry);
          await holder.loadExtra({ manifest: m.manifest, model: m.file, executionProviders, intraOpNumThreads, logger }, sessions, __filename);
        } catch (e) {
          holder.noteExtraError(w.id, e instanceof Error ? e.message : String(e));
        }
      }
      send({ type: 'extras', ...holder.extraReport() });
    });
  };

  await load(str(values.model));
  const server = new InferenceServer(endpoint, holder, logger, pool);
  await server.listen();
  const faceLooks = new FaceLookThread(__filename, { executionProviders, intraOpNumThreads: 1 });
  const faceCounts = { done: 0, skipped: 0, errors: 0 };
  const faceQueue = new IdleTimeQueue<FaceLookRequest, FaceLookReply>({
    run: (look) => faceLooks.look(look),
    acquire: () => server.scheduler.lendSession(),
    waitedMs: () => server.scheduler.waitedMs,
    share: FACE_LOOK_SHARE,
    capacity: FACE_LOOKS_WAITING,
  });
  server.scheduler.onIdle(() => faceQueue.kick());
  const onFaceLook = (id: number, raw: unknown) => {
    const parsed = FaceLookRequestSchema.safeParse(raw);
    if (!parsed.success) {
      faceCounts.errors++;
      send({ type: 'face-look', id, reply: { status: 'error', message: `malformed face look: ${parsed.error.issues[0]?.message ?? 'invalid'}` } });
      return;
    }
    void faceQueue.submit(parsed.data.cameraId, parsed.data).then((o) => {
      const reply: FaceLookReply = o.status === 'done' ? o.value : o.status === 'skipped' ? { status: 'skipped', reason: o.reason } : { status: 'error', message: o.message };
      faceCounts[reply.status === 'ok' ? 'done' : reply.status === 'skipped' ? 'skipped' : 'errors']++;
      send({ type: 'face-look', id, reply });
    });
  };
  const d = holder.current;
  send({ type: 'ready', endpoint, modelId: d?.manifest.id ?? null, executionProvider: d?.provider ?? null, maxBatch: d?.maxBatch ?? 1, sessions: d?.parallelism ?? 0, error: holder.lastError });

  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  const statsMs = Math.max(200, Number(str(values['stats-ms']) ?? 2000) || 2000);
  const timer = setInterval(() => {
    const cpu = process.cpuUsage();
    const now = performance.now();
    const cpuPct = ((cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000 / (now - lastAt)) * 100;
    lastCpu = cpu;
    lastAt = now;
    const cur = holder.current;
    send({ type: 'stats', cameras: server.stats(), modelId: cur?.manifest.id ?? null, executionProvider: cur?.provider ?? null, cpuPercent: Math.round(cpuPct * 10) / 10, rssBytes: process.memoryUsage().rss, pending: server.scheduler.pendingCount, faceLooks: { waiting: faceQueue.pendingCount, ...faceCounts } });
  }, statsMs);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    faceQueue.close();
    await server.close().catch(() => undefined);
    await faceLooks.dispose();
    await holder.dispose();
    process.exit(code);
  };
  channel.onMessage((m) => {
    const msg = m as ToInferenceWorker | null;
    if (msg?.type === 'shutdown') void stop(0);
    else if (msg?.type === 'reload') void load(msg.model);
    else if (msg?.type === 'extras' && Array.isArray(msg.models)) syncExtras(msg.models);
    else if (msg?.type === 'face-look' && typeof msg.id === 'number') onFaceLook(msg.id, msg.look);
  });
  // never outlive the parent (IPC disconnect, or the parent-pid watchdog in an Electron utility process)
  channel.onParentGone(() => void stop(0));
  process.on('SIGTERM', () => void stop(0));
}

if (isDetectorThread()) runDetectorThread();
else if (isFaceLookThread()) runFaceLookThread();
else
  main().catch((e: unknown) => {
    send({ type: 'fatal', message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  });
