import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { benchmarksWholeDecode } from '../engine/camera/decode-timing';
import { buildFfmpegArgs } from '../engine/camera/ffmpeg-args';
import { defaultCameraWorkerOptions } from '../engine/camera/camera-worker-protocol';
import { RawFrameSplitter } from '../engine/camera/raw-frame-splitter';
import { resolveFfmpeg } from '../engine/ffmpeg/resolve-ffmpeg';
import { Detector, type DetectorOptions } from '../engine/inference/detector';
import { createFrameDetector } from '../engine/inference/detector-pool';
import type { ModelInputSpec } from '../engine/inference/inference-api';
import type { DetectionTiling, TileRect } from '../shared/domain/detection-tiling';
import { percentile } from './cli-common';
import { procSample, selfCpuS } from './proc-stat';

/**
 * bench's two "alone" measurements, defined so that the pipeline's figures can be compared with them exactly:
 * - decode alone runs THE camera worker's ffmpeg command (buildFfmpegArgs: fps filter, split, display JPEG on fd 3
 *   and the letterboxed raw frame on fd 4), reading the file as fast as its outputs are drained;
 * - inference alone runs the Detector (preprocess + ORT run + decode + NMS) with the inference worker's session
 *   options and intra-op threads: once on one session (the wall median the latency target refers to), and with as
 *   many parallel sessions as the worker runs, all cores busy (the CPU per frame the machine's bound uses).
 */
export interface DecodeAlone {
  frames: number;
  fps: number;
  /** ffmpeg CPU seconds per analysed (raw) frame, both outputs written. */
  cpuPerFrame: number;
  /** The first raw frame (model input), for the inference loops. */
  first: Buffer;
  /** The ffmpeg arguments run (the camera worker's command for this clip). */
  args: string[];
}

/** The camera worker's ffmpeg command for this clip, read flat out (both outputs, as the pipeline runs it). */
function cameraFfmpegPlan(source: string, spec: ModelInputSpec, analysisFps: number, tiling?: DetectionTiling | null) {
  return buildFfmpegArgs({
    tiling: tiling ?? null,
    source,
    kind: 'file',
    rtspTransport: 'tcp',
    analysisFps,
    displayMaxHeight: defaultCameraWorkerOptions.displayMaxHeight,
    jpegQuality: defaultCameraWorkerOptions.jpegQuality,
    inference: spec,
    realtime: false,
    // as the camera worker runs it: with decode timing where this ffmpeg reports it
    ...(benchmarksWholeDecode(resolveFfmpeg().version) ? { benchmarkDecode: true } : {}),
  });
}

export async function decodeAlone(o: { source: string; spec: ModelInputSpec; analysisFps: number; seconds: number; tiling?: DetectionTiling | null }): Promise<DecodeAlone> {
  const plan = cameraFfmpegPlan(o.source, o.spec, o.analysisFps, o.tiling);
  const child = spawn(resolveFfmpeg().path, plan.args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 16_384) stderr += d.toString();
  });
  (child.stdio[3] as Readable).on('data', () => undefined);
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const WARMUP = 10;
  let first: Buffer | null = null;
  let frames = 0;
  let base: { cpu: number; at: number } | null = null;
  const until = performance.now() + (o.seconds + 1) * 1000;
  const result = await new Promise<{ frames: number; cpu: number; secs: number }>((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      if (!base) return reject(new Error(`ffmpeg decoded ${frames} frames of ${o.source}: ${stderr.trim().split('\n').pop() ?? ''}`));
      resolve({ frames: frames - WARMUP, cpu: (procSample(child.pid)?.cpuS ?? 0) - base.cpu, secs: (performance.now() - base.at) / 1000 });
    };
    const reader = new RawFrameSplitter(plan.rawFrameBytes!, (frame) => {
      if (!first) first = frame;
      frames++;
      if (frames === WARMUP) base = { cpu: procSample(child.pid)?.cpuS ?? 0, at: performance.now() };
      if (performance.now() > until) finish();
    });
    (child.stdio[4] as Readable).on('data', (d: Buffer) => {
      if (!done) reader.push(d);
    });
    void exited.then(finish);
  });
  child.kill('SIGKILL');
  await exited;
  return { frames: result.frames, fps: result.frames / Math.max(result.secs, 1e-3), cpuPerFrame: result.cpu / Math.max(1, result.frames), first: first!, args: plan.args };
}

type LoopOptions = Omit<DetectorOptions, 'logger'>;
interface LoopJob {
  mark: 'watchroom-bench-inference';
  options: LoopOptions;
  frame: Uint8Array;
  srcWidth: number;
  srcHeight: number;
  seconds: number;
  /** A tiled frame: the tile of each stacked model input. */
  tiles?: TileRect[];
}
interface LoopResult {
  walls: number[];
}

/** One Detector, sequential runs on the same frame for `seconds` (after 5 warm-up runs; `ready` then waits for a go). */
async function detectorLoop(job: Omit<LoopJob, 'mark'>, detector?: Detector, ready?: () => Promise<void>): Promise<LoopResult> {
  const det = detector ?? (await Detector.create(job.options));
  const f = { data: job.frame, srcWidth: job.srcWidth, srcHeight: job.srcHeight, ...(job.tiles ? { tiles: job.tiles } : {}) };
  for (let i = 0; i < 5; i++) await det.detect(f);
  if (ready) await ready();
  const walls: number[] = [];
  const until = performance.now() + job.seconds * 1000;
  while (performance.now() < until && walls.length < 20_000) {
    const t = performance.now();
    await det.detect(f);
    walls.push(performance.now() - t);
  }
  if (!detector) await det.dispose();
  return { walls };
}

/** True in a bench inference thread (the bench bundle's entry then runs the loop instead of main()). */
export const isBenchInferenceThread = (): boolean => !isMainThread && (workerData as { mark?: string } | null)?.mark === 'watchroom-bench-inference';

export function runBenchInferenceThread(): void {
  const job = workerData as LoopJob;
  const port = parentPort!;
  const ready = () =>
    new Promise<void>((resolve) => {
      port.once('message', () => resolve());
      port.postMessage({ ready: true });
    });
  detectorLoop(job, undefined, ready).then(
    (r) => port.postMessage({ ok: true, r }),
    (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
  );
}

export interface InferenceAlone {
  /** One session, sequential. */
  single: { frames: number; cpuPerFrame: number; wallMedianMs: number; wallP95Ms: number };
  /** `sessions` sessions in parallel threads (as the inference worker runs them), all started together. */
  parallel: { sessions: number; frames: number; cpuPerFrame: number; fps: number };
  provider: string;
}

export async function inferenceAlone(o: { options: LoopOptions; frame: Buffer; srcWidth: number; srcHeight: number; seconds: number; sessions: number; threadEntry: string }): Promise<InferenceAlone> {
  const frame = new Uint8Array(o.frame);
  const { single: s, provider } = await inferenceAloneSingle(o);
  const walls = s.walls;
  const singleCpu = s.cpuPerFrame;

  // Parallel: each thread opens its session and warms up, says ready, and all loop together on a go; the CPU of
  // this process (threads included; its main thread only waits) from the go until the last loop ended.
  const job: LoopJob = { mark: 'watchroom-bench-inference', options: o.options, frame, srcWidth: o.srcWidth, srcHeight: o.srcHeight, seconds: o.seconds };
  const threads = Array.from({ length: o.sessions }, () => new Worker(o.threadEntry, { workerData: job }));
  const done = threads.map(
    (w) =>
      new Promise<LoopResult>((resolve, reject) => {
        w.on('message', (m: { ready: true } | { ok: true; r: LoopResult } | { ok: false; error: string }) => {
          if ('ready' in m) return;
          if (m.ok) resolve(m.r);
          else reject(new Error(m.error));
        });
        w.once('error', reject);
      }),
  );
  await Promise.all(threads.map((w) => new Promise<void>((r) => w.on('message', (m: { ready?: boolean }) => m.ready && r()))));
  const p0 = selfCpuS();
  const t0 = performance.now();
  for (const w of threads) w.postMessage('go');
  const results = await Promise.all(done);
  const p1 = selfCpuS();
  const secs = (performance.now() - t0) / 1000;
  await Promise.all(threads.map((w) => w.terminate()));
  const frames = results.reduce((s, r) => s + r.walls.length, 0);
  return {
    single: { frames: walls.length, cpuPerFrame: singleCpu, wallMedianMs: percentile(walls, 50), wallP95Ms: percentile(walls, 95) },
    parallel: { sessions: o.sessions, frames, cpuPerFrame: (p1 - p0) / Math.max(1, frames), fps: frames / Math.max(secs, 1e-3) },
    provider,
  };
}

/** Inference alone on one session, sequential: the frame's wall times (sorted) and CPU per frame. */
export async function inferenceAloneSingle(o: { options: LoopOptions; frame: Buffer; srcWidth: number; srcHeight: number; seconds: number; tiles?: TileRect[] }): Promise<{ single: { walls: number[]; cpuPerFrame: number }; provider: string }> {
  const det = await Detector.create(o.options);
  const c0 = selfCpuS();
  const single = await detectorLoop({ options: o.options, frame: new Uint8Array(o.frame), srcWidth: o.srcWidth, srcHeight: o.srcHeight, seconds: o.seconds, ...(o.tiles ? { tiles: o.tiles } : {}) }, det);
  const c1 = selfCpuS();
  await det.dispose();
  const walls = [...single.walls].sort((a, b) => a - b);
  return { single: { walls, cpuPerFrame: (c1 - c0) / Math.max(1, walls.length + 5) }, provider: det.provider };
}

export interface ReferenceRun {
  frames: number;
  fps: number;
  /** CPU seconds per analysed frame: ffmpeg, this process (reading frames + detector threads), and their sum. */
  cpuPerFrame: { decode: number; inference: number; total: number };
  cores: number;
}

/**
 * The pipeline's work with no process boundary in the frame path: the camera worker's ffmpeg command (decodeAlone's),
 * its raw frames read by this process and run on the inference worker's DetectorPool (`sessions` detector threads,
 * `sessions` + 1 frames in flight, as flat out at 1 camera), display JPEGs read and dropped. No camera worker, no
 * inference worker, no host. It shows what this machine gives when decode and inference share its cores and no
 * frame crosses a process: the pipeline's distance from it is the cost of the app's isolation here.
 */
export async function referencePipeline(o: { source: string; spec: ModelInputSpec; analysisFps: number; srcWidth: number; srcHeight: number; options: LoopOptions; sessions: number; threadEntry: string; seconds: number; warmupSeconds: number }): Promise<ReferenceRun> {
  const plan = cameraFfmpegPlan(o.source, o.spec, o.analysisFps);
  let reader: RawFrameSplitter | null = null;
  const det = await createFrameDetector(o.options, o.sessions, o.threadEntry, (b) => reader?.recycle(Buffer.from(b)));
  const child = spawn(resolveFfmpeg().path, plan.args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], windowsHide: true });
  const exited = new Promise<void>((r) => child.once('close', () => r()));
  (child.stdio[3] as Readable).on('data', () => undefined);
  const raw = child.stdio[4] as Readable;
  const window = o.sessions + 1;
  const waiting: Buffer[] = [];
  let inFlight = 0;
  let analysed = 0;
  let stopped = false;
  let failure: Error | null = null;
  const pump = () => {
    while (!stopped && inFlight < window && waiting.length > 0) {
      const frame = waiting.shift()!;
      inFlight++;
      det.detectBatch([{ data: frame, srcWidth: o.srcWidth, srcHeight: o.srcHeight, colour: o.spec.colour }]).then(
        () => {
          inFlight--;
          analysed++;
          // kept for reuse when it ran in this thread (a frame transferred to a detector thread is detached here,
          // and comes back through the pool's recycle callback instead)
          reader?.recycle(frame);
          pump();
        },
        (e: unknown) => {
          inFlight--;
          failure ??= e instanceof Error ? e : new Error(String(e));
        },
      );
    }
    // one frame waiting at most: ffmpeg then blocks on its pipe, as it does behind a camera worker
    if (waiting.length > 0) raw.pause();
    else raw.resume();
  };
  reader = new RawFrameSplitter(plan.rawFrameBytes!, (frame) => {
    waiting.push(frame);
    pump();
  });
  raw.on('data', (d: Buffer) => reader?.push(d));
  try {
    await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));
    const sample = () => ({ at: performance.now(), frames: analysed, decode: procSample(child.pid)?.cpuS ?? 0, inference: selfCpuS() });
    const a = sample();
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    const b = sample();
    if (failure) throw failure;
    const frames = b.frames - a.frames;
    if (frames <= 0) throw new Error(`the reference pipeline analysed no frame of ${o.source}`);
    const decode = (b.decode - a.decode) / frames;
    const inference = (b.inference - a.inference) / frames;
    const secs = (b.at - a.at) / 1000;
    return { frames, fps: frames / secs, cpuPerFrame: { decode, inference, total: decode + inference }, cores: ((decode + inference) * frames) / secs };
  } finally {
    stopped = true;
    child.kill('SIGKILL');
    await exited;
    // a thread stopped in the middle of a run would take the process down: let the runs in flight end first
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
    await det.dispose();
  }
}
