import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { FrameHeader } from '../shared/domain/detection';
import { defaultCameraWorkerOptions, type CameraWorkerOptions, type FromCameraWorker } from '../engine/camera/camera-worker-protocol';
import type { CameraRuntimeConfig } from '../engine/camera/camera-runtime';
import type { ModelInputSpec } from '../engine/inference/inference-api';
import type { Logger } from '../engine/logging/logger';
import { newInferenceEndpoint } from '../engine/inference/inference-endpoint';
import { workersDir } from '../engine/process/app-paths';
import { workerMallocEnv } from '../engine/process/malloc-env';
import { createNodeWorkerStarter } from '../engine/process/node-worker-starter';
import type { WorkerHandle } from '../engine/process/worker-starter';
import { percentile } from './cli-common';
import { procSample, selfCpuS } from './proc-stat';

export interface InferenceWorkerHandle {
  proc: ChildProcess;
  endpoint: string;
  executionProvider: string | null;
  /** Parallel sessions the worker runs. */
  sessions: number;
  stop(): Promise<void>;
}

/**
 * Forks dist/node/inference-worker.cjs with a model and waits for `ready`; its channel serialises as the engine's
 * (node-worker-starter.ts: `advanced`, so face looks' JPEG bytes stay binary).
 */
export async function startInferenceWorker(modelArg: string, extraArgs: string[] = [], execArgv: string[] = []): Promise<InferenceWorkerHandle> {
  const endpoint = newInferenceEndpoint();
  const proc = fork(path.join(workersDir(), 'inference-worker.cjs'), ['--endpoint', endpoint, '--model', modelArg, '--stats-ms', '1000', ...extraArgs], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv, env: { ...process.env, ...workerMallocEnv() } });
  const ready = await new Promise<{ executionProvider: string | null; error: string | null; modelId: string | null; sessions: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('inference worker did not become ready in 30 s')), 30_000);
    proc.on('message', (m: { type?: string; executionProvider?: string | null; error?: string | null; modelId?: string | null; message?: string; sessions?: number }) => {
      if (m?.type === 'ready') {
        clearTimeout(timer);
        resolve({ executionProvider: m.executionProvider ?? null, error: m.error ?? null, modelId: m.modelId ?? null, sessions: m.sessions ?? 1 });
      } else if (m?.type === 'fatal') {
        clearTimeout(timer);
        reject(new Error(m.message));
      }
    });
    proc.on('exit', (code) => reject(new Error(`inference worker exited (${code}) before ready`)));
  });
  if (!ready.modelId) {
    proc.kill('SIGKILL');
    throw new Error(`inference worker has no model: ${ready.error}`);
  }
  return {
    proc,
    endpoint,
    executionProvider: ready.executionProvider,
    sessions: ready.sessions,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.send({ type: 'shutdown' });
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    },
  };
}

/**
 * Frames in flight per camera when K cameras feed `sessions` parallel sessions flat out: floor(sessions / K) + 1,
 * so that K * window <= sessions + K (every session busy plus at most one frame waiting in each camera's slot).
 */
export function flatOutWindow(sessions: number, cameras: number): number {
  return Math.max(1, Math.floor(sessions / Math.max(1, cameras)) + 1);
}

export interface PipelineResult {
  cameras: number;
  seconds: number;
  analysed: number;
  /** Frames decoded but not analysed (the camera's drop counter: inference busy, or replaced in its slot). */
  dropped: number;
  /** Frames that came back without detections (inference errors). */
  errors: number;
  fps: number;
  /**
   * CPU seconds per analysed frame, by process group: decode = every camera's ffmpeg; inference = the inference
   * worker; camera = the camera worker processes (pipes, pairing, socket, tracker, frames to the host);
   * host = this process receiving every frame as the engine's main process does. total = their sum.
   */
  cpuPerFrame: { decode: number; inference: number; camera: number; host: number; total: number };
  /** CPU cores used in all. */
  cores: number;
  /** RSS per process, MB (decoders and cameras: per process, averaged). */
  rssMB: { decoder: number; cameraWorker: number; inference: number; host: number };
  /** Frame decoded (left ffmpeg) -> detections ready (the inference worker's answer). */
  latencyMs: { p50: number; p95: number; p99: number };
  /** Frame decoded -> the frame with its detections reached the host. */
  toHostMs: { p50: number; p95: number; p99: number };
}

interface Cam {
  handle: WorkerHandle;
  ffmpegPid: number | null;
  /** The camera's cumulative drop counter in the last frame seen. */
  dropped: number;
  frames: number;
}

/**
 * K camera worker processes, each the app's own (dist/node/camera-worker.cjs: its ffmpeg command with both
 * outputs, frame pairing, inference client, tracker, frames sent to the parent), on the looped clip, against a
 * running inference worker. flat out: `pacing: 'inference'` (the file is read as fast as inference takes frames,
 * flatOutWindow() frames in flight per camera, nothing dropped); real time: the app's live behaviour (`-re`,
 * the fps filter, latest frame wins). Measures a window that opens `warmupSeconds` after every camera's first
 * analysed frame.
 */
export async function runPipeline(opts: {
  worker: InferenceWorkerHandle;
  source: string;
  spec: ModelInputSpec;
  cameras: number;
  seconds: number;
  /** Steady state first: seconds run, once every camera analysed a frame, before the window opens (default 1). */
  warmupSeconds?: number;
  analysisFps: number;
  flatOut: boolean;
}): Promise<PipelineResult> {
  // Camera workers' own log lines (ffmpeg started, ...) would bury the table: only warnings and errors pass.
  const quiet: Logger = { debug: () => undefined, info: (m) => process.env.WATCHROOM_BENCH_VERBOSE && process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`), child: () => quiet };
  const profDir = process.env.WATCHROOM_BENCH_CPU_PROF_DIR;
  const starter = createNodeWorkerStarter({ execArgv: profDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profDir)] : [], logger: quiet });
  const options: CameraWorkerOptions = {
    ...defaultCameraWorkerOptions,
    statsIntervalMs: 1_000,
    pacing: opts.flatOut ? 'inference' : 'live',
    // Flat out: enough frames in flight that every session always has one waiting (a session that finishes starts
    // the next frame at once instead of waiting for a round trip to the camera), but never two waiting for one
    // camera (the scheduler's slot would replace one: a wasted decode).
    maxInFlight: opts.flatOut ? flatOutWindow(opts.worker.sessions, opts.cameras) : 1,
  };
  const cams: Cam[] = [];
  const latencies: number[] = [];
  const toHost: number[] = [];
  let measuring = false;
  let analysed = 0;
  let errors = 0;
  let warm = 0;
  let onAllWarm: () => void = () => undefined;
  let onOffline: (e: Error) => void = () => undefined;
  const allWarm = new Promise<void>((resolve, reject) => {
    onAllWarm = resolve;
    onOffline = reject;
  });
  const lastDropped = new Map<Cam, number>();
  const onFrame = (cam: Cam, h: FrameHeader) => {
    const now = Date.now();
    if (h.detections && cam.frames++ === 0 && ++warm === opts.cameras) onAllWarm();
    if (!measuring) {
      cam.dropped = h.stats?.droppedFrames ?? cam.dropped;
      return;
    }
    if (!h.detections) errors++;
    else {
      analysed++;
      if (h.detectedAt !== undefined) latencies.push(h.detectedAt - h.capturedAt);
      toHost.push(now - h.capturedAt);
    }
    lastDropped.set(cam, h.stats?.droppedFrames ?? 0);
  };
  try {
    for (let k = 0; k < opts.cameras; k++) {
      const handle = starter.start({ name: `bench-camera-${k}`, entry: 'camera-worker.cjs', binaryMessages: true });
      const cam: Cam = { handle, ffmpegPid: null, dropped: 0, frames: 0 };
      cams.push(cam);
      const config: CameraRuntimeConfig = { id: `bench-${k}`, name: `bench ${k}`, source: path.resolve(opts.source), rtspTransport: 'tcp', analysisFps: opts.analysisFps, enabled: true, inference: { endpoint: opts.worker.endpoint, spec: opts.spec }, rules: [] };
      handle.onMessage((raw) => {
        const m = raw as FromCameraWorker;
        if (m.type === 'ready') handle.send({ type: 'start', config, options });
        else if (m.type === 'ffmpeg') cam.ffmpegPid = m.pid ?? cam.ffmpegPid;
        else if (m.type === 'frame') onFrame(cam, m.header);
        else if (m.type === 'state' && m.state.type === 'offline') onOffline(new Error(`bench camera ${k}: ${m.state.reason}`));
      });
    }
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the bench cameras produced no analysed frame within 30 s')), 30_000).unref());
    await Promise.race([allWarm, timeout]);
    await new Promise((r) => setTimeout(r, (opts.warmupSeconds ?? 1) * 1000));

    const sample = () => ({
      at: performance.now(),
      decoders: cams.map((c) => procSample(c.ffmpegPid ?? undefined)),
      cameras: cams.map((c) => procSample(c.handle.pid)),
      inference: procSample(opts.worker.proc.pid),
      host: selfCpuS(),
    });
    const b = sample();
    const dropped0 = cams.map((c) => c.dropped);
    measuring = true;
    await new Promise((r) => setTimeout(r, opts.seconds * 1000));
    measuring = false;
    const e = sample();
    const secs = (e.at - b.at) / 1000;
    const sum = (xs: (ReturnType<typeof procSample>)[], ys: (ReturnType<typeof procSample>)[]) => xs.reduce((s, x, i) => s + ((x?.cpuS ?? 0) - (ys[i]?.cpuS ?? 0)), 0);
    const decode = sum(e.decoders, b.decoders);
    const camera = sum(e.cameras, b.cameras);
    const inference = (e.inference?.cpuS ?? 0) - (b.inference?.cpuS ?? 0);
    const host = e.host - b.host;
    const total = decode + camera + inference + host;
    const n = Math.max(1, analysed);
    const dropped = cams.reduce((s, c, i) => s + Math.max(0, (lastDropped.get(c) ?? dropped0[i]!) - dropped0[i]!), 0);
    const pct = (xs: number[]) => {
      const s = [...xs].sort((x, y) => x - y);
      return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
    };
    const avgRss = (xs: (ReturnType<typeof procSample>)[]) => xs.reduce((s, x) => s + (x?.rssBytes ?? 0), 0) / Math.max(1, xs.length) / 1048576;
    return {
      cameras: opts.cameras,
      seconds: secs,
      analysed,
      dropped,
      errors,
      fps: analysed / secs,
      cpuPerFrame: { decode: decode / n, inference: inference / n, camera: camera / n, host: host / n, total: total / n },
      cores: total / secs,
      rssMB: { decoder: avgRss(e.decoders), cameraWorker: avgRss(e.cameras), inference: (e.inference?.rssBytes ?? 0) / 1048576, host: process.memoryUsage().rss / 1048576 },
      latencyMs: pct(latencies),
      toHostMs: pct(toHost),
    };
  } finally {
    await Promise.all(cams.map((c) => c.handle.stop(3_000).catch(() => undefined)));
  }
}
