import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ModelInputSpec } from '../engine/inference/inference-api';
import { createInferenceClient } from '../engine/inference/inference-client';
import { newInferenceEndpoint } from '../engine/inference/inference-endpoint';
import { RawFrameReader, type SourceProbe } from '../engine/inference/raw-frame-reader';
import { workersDir } from '../engine/process/app-paths';
import { procSample, selfCpuS } from './proc-stat';

export interface InferenceWorkerHandle {
  proc: ChildProcess;
  endpoint: string;
  executionProvider: string | null;
  /** Parallel sessions the worker runs. */
  sessions: number;
  stop(): Promise<void>;
}

/** Forks dist/node/inference-worker.cjs with a model and waits for `ready`. */
export async function startInferenceWorker(modelArg: string, extraArgs: string[] = []): Promise<InferenceWorkerHandle> {
  const endpoint = newInferenceEndpoint();
  const proc = fork(path.join(workersDir(), 'inference-worker.cjs'), ['--endpoint', endpoint, '--model', modelArg, '--stats-ms', '1000', ...extraArgs], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

export interface PipelineResult {
  cameras: number;
  seconds: number;
  analysed: number;
  dropped: number;
  errors: number;
  fps: number;
  /** CPU seconds per analysed frame: decoders (all ffmpeg), inference worker, camera side (this process). */
  cpuPerFrame: { decode: number; inference: number; camera: number; total: number };
  /** CPU cores used in all. */
  cores: number;
  rssMB: { decoders: number; inference: number; camera: number };
  latencyMs: { p50: number; p95: number; p99: number };
}

/**
 * K camera-like decoders (looped file, same filter as the camera worker) sending frames to the inference worker.
 * flat-out: each camera keeps ceil(sessions / K) frames in flight (ffmpeg waits on the pipe otherwise);
 * realtime: ffmpeg reads at the source rate (-re) with an fps filter and every frame is sent (latest wins).
 */
export async function runPipeline(opts: { worker: InferenceWorkerHandle; source: string; probe: SourceProbe; spec: ModelInputSpec; cameras: number; seconds: number; realtimeFps?: number }): Promise<PipelineResult> {
  const readers = Array.from({ length: opts.cameras }, () => new RawFrameReader({ source: opts.source, spec: opts.spec, probe: opts.probe, loop: true, realtime: opts.realtimeFps !== undefined, fps: opts.realtimeFps }));
  const clients = readers.map(() => createInferenceClient(opts.worker.endpoint));
  const window = Math.max(1, Math.ceil(opts.worker.sessions / opts.cameras));
  const latencies: number[] = [];
  let analysed = 0;
  let dropped = 0;
  let errors = 0;
  let measuring = false;
  let stopped = false;
  const w0 = procSample(opts.worker.proc.pid);
  const self0 = selfCpuS();
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  const warmupMs = 1000;
  let base: { worker: number; self: number; decoders: number[]; at: number } | null = null;
  const decoderCpu = () => readers.map((r) => procSample(r.pid)?.cpuS ?? 0);
  const warm = setTimeout(() => {
    base = { worker: procSample(opts.worker.proc.pid)?.cpuS ?? w0?.cpuS ?? 0, self: selfCpuS(), decoders: decoderCpu(), at: performance.now() };
    measuring = true;
  }, warmupMs);
  let end: { worker: number; self: number; decoders: number[]; at: number; rss: { d: number; w: number } } | null = null;
  const finish = () => {
    if (end) return;
    end = { worker: procSample(opts.worker.proc.pid)?.cpuS ?? 0, self: selfCpuS(), decoders: decoderCpu(), at: performance.now(), rss: { d: readers.reduce((s, r) => s + (procSample(r.pid)?.rssBytes ?? 0), 0), w: procSample(opts.worker.proc.pid)?.rssBytes ?? 0 } };
    stopped = true;
  };
  const endTimer = setTimeout(finish, Math.max(0, deadline - performance.now()));
  await Promise.all(
    readers.map(async (reader, k) => {
      const client = clients[k]!;
      const inflight: Promise<void>[] = [];
      for await (const f of reader.frames()) {
        if (stopped) break;
        const p = client
          .detect({ cameraId: `bench-${k}`, seq: f.index, pts: f.t, capturedAt: f.capturedAt, srcWidth: opts.probe.width, srcHeight: opts.probe.height, data: f.data, spec: opts.spec })
          .then((r) => {
            if (!measuring || stopped) return;
            if (r.status === 'ok') {
              analysed++;
              latencies.push(Date.now() - f.capturedAt);
            } else if (r.status === 'dropped') dropped++;
            else errors++;
          });
        if (opts.realtimeFps === undefined) {
          // flat out: enough frames in flight that K cameras keep every session busy, and no more (more would
          // only be replaced in their slot and dropped)
          inflight.push(p);
          if (inflight.length >= window) await inflight.shift();
        } else {
          inflight.push(p);
          if (inflight.length > 64) await Promise.all(inflight.splice(0, 32));
        }
      }
      await Promise.all(inflight);
      await reader.stop();
    }),
  );
  finish();
  clearTimeout(warm);
  clearTimeout(endTimer);
  for (const c of clients) c.close();
  await Promise.all(readers.map((r) => r.stop()));
  const b = base ?? { worker: w0?.cpuS ?? 0, self: self0, decoders: readers.map(() => 0), at: t0 };
  const e = end!;
  const secs = (e.at - b.at) / 1000;
  const n = Math.max(1, analysed);
  const decode = e.decoders.reduce((s, v, i) => s + (v - (b.decoders[i] ?? 0)), 0);
  const inference = e.worker - b.worker;
  const camera = e.self - b.self;
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? 0;
  return {
    cameras: opts.cameras,
    seconds: secs,
    analysed,
    dropped,
    errors,
    fps: analysed / secs,
    cpuPerFrame: { decode: decode / n, inference: inference / n, camera: camera / n, total: (decode + inference + camera) / n },
    cores: (decode + inference + camera) / secs,
    rssMB: { decoders: e.rss.d / 1048576, inference: e.rss.w / 1048576, camera: process.memoryUsage().rss / 1048576 },
    latencyMs: { p50: pct(50), p95: pct(95), p99: pct(99) },
  };
}
