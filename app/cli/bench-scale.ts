import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrameHeader } from '../shared/domain/detection';
import { defaultCameraWorkerOptions, type CameraWorkerOptions, type FromCameraWorker } from '../engine/camera/camera-worker-protocol';
import type { CameraRuntimeConfig } from '../engine/camera/camera-runtime';
import type { ModelInputSpec } from '../engine/inference/inference-api';
import type { Logger } from '../engine/logging/logger';
import { createNodeWorkerStarter } from '../engine/process/node-worker-starter';
import type { WorkerHandle } from '../engine/process/worker-starter';
import type { InferenceWorkerHandle } from './bench-pipeline';
import { procPrivateBytes, procSample, selfCpuS } from './proc-stat';

/**
 * Cameras held (issue 22): a realistic mix of looped clips at the cameras' analysis fps, 1 in 4 busy (people walking),
 * the rest idle (an empty room). `prepareMixClips` cuts both from the Intel clip with ffmpeg into a temp folder.
 */
export interface MixClips {
  busy: string;
  idle: string;
  dispose(): void;
}

/** The Intel clip's visits 1 – 2 (6 – 44 s, people in view most of it) and its first empty seconds (0 – 5 s). */
export function prepareMixClips(ffmpeg: string, intelClip: string): MixClips {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-bench-mix-'));
  const busy = path.join(dir, 'busy.mp4');
  const idle = path.join(dir, 'idle.mp4');
  for (const [out, from, len] of [[busy, '6', '38'], [idle, '0', '5']] as const) {
    const r = spawnSync(ffmpeg, ['-v', 'error', '-ss', from, '-i', intelClip, '-t', len, '-an', '-c:v', 'mjpeg', '-q:v', '4', '-y', out]);
    if (r.status !== 0) throw new Error(`cutting the bench mix failed: ${r.stderr?.toString()}`);
  }
  return { busy, idle, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

interface MixCam {
  busy: boolean;
  handle: WorkerHandle;
  ffmpegPid: number | null;
  frames: number;
  detected: number;
  gated: number;
  dropped: number;
}

/** CPU seconds and RSS bytes per process kind at one moment. */
export interface KindSample {
  at: number;
  cpuS: { decoder: number; cameraWorker: number; inference: number; host: number };
  rssMB: { decoder: number; cameraWorker: number; inference: number; host: number };
  /** The private (anonymous) part of rssMB (proc-stat.ts): what a leak would grow. */
  privateMB: { decoder: number; cameraWorker: number; inference: number; host: number };
}

export interface MixWindow {
  cameras: number;
  busyCameras: number;
  seconds: number;
  /** Frames the busy cameras dropped in the window (inference busy, or replaced in its slot). */
  busyDropped: number;
  /** Emitted frames per camera against what the analysis fps asks for, lowest camera (1 = every frame). */
  minRealTime: number;
  /** Detector runs / frames over all cameras. */
  detectedShare: number;
  /** Cores used by every process of the mix, and per camera. */
  cores: number;
  coresPerCamera: number;
  /** Held in real time: no busy camera dropped a frame and every camera emitted at least 90 % of its frames. */
  held: boolean;
}

/**
 * K camera workers (the app's own, with their ffmpeg) on the mix against a running inference worker, live pacing at
 * `analysisFps`, motion gating on or off. `window(seconds)` measures; `sample()` reads CPU and RSS per process kind.
 */
export class CameraMix {
  private readonly cams: MixCam[] = [];
  private warm = 0;

  constructor(private readonly o: { worker: InferenceWorkerHandle; spec: ModelInputSpec; clips: MixClips; cameras: number; analysisFps: number; gating: boolean; logger: Logger }) {}

  async start(timeoutMs = 60_000): Promise<void> {
    const starter = createNodeWorkerStarter({ logger: this.o.logger });
    const options: CameraWorkerOptions = { ...defaultCameraWorkerOptions, statsIntervalMs: 1_000, pacing: 'live', maxInFlight: 1 };
    let onAllWarm: () => void = () => undefined;
    const allWarm = new Promise<void>((r) => (onAllWarm = r));
    for (let k = 0; k < this.o.cameras; k++) {
      const busy = k % 4 === 0;
      const handle = starter.start({ name: `bench-mix-${k}`, entry: 'camera-worker.cjs', binaryMessages: true });
      const cam: MixCam = { busy, handle, ffmpegPid: null, frames: 0, detected: 0, gated: 0, dropped: 0 };
      this.cams.push(cam);
      const config: CameraRuntimeConfig = {
        id: `mix-${k}`,
        name: `mix ${k}`,
        source: busy ? this.o.clips.busy : this.o.clips.idle,
        rtspTransport: 'tcp',
        analysisFps: this.o.analysisFps,
        enabled: true,
        inference: { endpoint: this.o.worker.endpoint, spec: this.o.spec },
        motionGating: { enabled: this.o.gating, sensitivity: 'medium' },
        rules: [],
      };
      handle.onMessage((raw) => {
        const m = raw as FromCameraWorker;
        if (m.type === 'ready') handle.send({ type: 'start', config, options });
        else if (m.type === 'ffmpeg') cam.ffmpegPid = m.pid ?? cam.ffmpegPid;
        else if (m.type === 'frame') this.onFrame(cam, m.header, onAllWarm);
      });
    }
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the mix's cameras produced no analysed frame within ${timeoutMs / 1000} s`)), timeoutMs).unref());
    await Promise.race([allWarm, timeout]);
  }

  private onFrame(cam: MixCam, h: FrameHeader, onAllWarm: () => void): void {
    if (h.detections && cam.frames === 0 && ++this.warm === this.cams.length) onAllWarm();
    cam.frames++;
    if (h.gated) cam.gated++;
    else if (h.detections) cam.detected++;
    cam.dropped = h.stats?.droppedFrames ?? cam.dropped;
  }

  sample(): KindSample {
    const ff = this.cams.map((c) => procSample(c.ffmpegPid ?? undefined));
    const cw = this.cams.map((c) => procSample(c.handle.pid));
    const inf = procSample(this.o.worker.proc.pid);
    const sum = (xs: ReturnType<typeof procSample>[], k: 'cpuS' | 'rssBytes') => xs.reduce((s, x) => s + (x?.[k] ?? 0), 0);
    const privateMB = (pids: Array<number | null | undefined>) => pids.reduce<number>((s, pid) => s + procPrivateBytes(pid ?? undefined), 0) / 1048576;
    return {
      at: performance.now(),
      cpuS: { decoder: sum(ff, 'cpuS'), cameraWorker: sum(cw, 'cpuS'), inference: inf?.cpuS ?? 0, host: selfCpuS() },
      rssMB: { decoder: sum(ff, 'rssBytes') / 1048576, cameraWorker: sum(cw, 'rssBytes') / 1048576, inference: (inf?.rssBytes ?? 0) / 1048576, host: process.memoryUsage().rss / 1048576 },
      privateMB: { decoder: privateMB(this.cams.map((c) => c.ffmpegPid)), cameraWorker: privateMB(this.cams.map((c) => c.handle.pid)), inference: privateMB([this.o.worker.proc.pid]), host: privateMB([process.pid]) },
    };
  }

  async window(seconds: number): Promise<MixWindow> {
    const snap = () => this.cams.map((c) => ({ frames: c.frames, detected: c.detected, dropped: c.dropped }));
    const b = snap();
    const sb = this.sample();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const e = snap();
    const se = this.sample();
    const secs = (se.at - sb.at) / 1000;
    let busyDropped = 0;
    let minRealTime = Infinity;
    let frames = 0;
    let detected = 0;
    this.cams.forEach((c, i) => {
      if (c.busy) busyDropped += Math.max(0, e[i]!.dropped - b[i]!.dropped);
      minRealTime = Math.min(minRealTime, (e[i]!.frames - b[i]!.frames) / (this.o.analysisFps * secs));
      frames += e[i]!.frames - b[i]!.frames;
      detected += e[i]!.detected - b[i]!.detected;
    });
    const cpu = (s: KindSample) => s.cpuS.decoder + s.cpuS.cameraWorker + s.cpuS.inference + s.cpuS.host;
    const cores = (cpu(se) - cpu(sb)) / secs;
    return {
      cameras: this.cams.length,
      busyCameras: this.cams.filter((c) => c.busy).length,
      seconds: secs,
      busyDropped,
      minRealTime,
      detectedShare: frames ? detected / frames : 0,
      cores,
      coresPerCamera: cores / Math.max(1, this.cams.length),
      held: busyDropped === 0 && minRealTime >= 0.9,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.cams.map((c) => c.handle.stop(3_000).catch(() => undefined)));
  }
}

/**
 * The largest n with held(n) true, in few measurements (each is a minute of a busy machine): `start` is measured first
 * (or taken as held when `startHeld`), then the count doubles while it is held (capped at `max`), then the search
 * bisects between the last count held and the first not held. A `start` not held bisects below it. Returns 0 when not
 * even 1 is held. Assumes more cameras never hold where fewer did not (a noisy count is trusted as measured).
 */
export async function searchHeld(o: { start: number; startHeld?: boolean; max: number; held: (n: number) => Promise<boolean> }): Promise<number> {
  const max = Math.max(1, Math.floor(o.max));
  const start = Math.min(max, Math.max(1, Math.floor(o.start)));
  let lo = 0; // largest count known held
  let hi = max + 1; // smallest count known not held
  if (o.startHeld || (await o.held(start))) {
    lo = start;
    while (lo < max) {
      const next = Math.min(max, lo * 2);
      if (!(await o.held(next))) {
        hi = next;
        break;
      }
      lo = next;
    }
  } else hi = start;
  while (hi - lo > 1 && lo < max) {
    const mid = Math.floor((lo + hi) / 2);
    if (await o.held(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The largest number of cameras of the mix held in real time (CameraMix.window's `held`), by `searchHeld` from
 * `start` (default 1; `startHeld`: that count is known held and not measured again) up to `max`. Returns every window
 * measured, in the order measured.
 */
export async function camerasHeld(o: { worker: InferenceWorkerHandle; spec: ModelInputSpec; clips: MixClips; analysisFps: number; gating: boolean; seconds: number; warmupSeconds: number; max: number; start?: number; startHeld?: boolean; logger: Logger; log: (m: string) => void }): Promise<{ held: number; windows: MixWindow[] }> {
  const windows: MixWindow[] = [];
  const measure = async (n: number): Promise<boolean> => {
    const mix = new CameraMix({ worker: o.worker, spec: o.spec, clips: o.clips, cameras: n, analysisFps: o.analysisFps, gating: o.gating, logger: o.logger });
    try {
      await mix.start();
      await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));
      const w = await mix.window(o.seconds);
      windows.push(w);
      o.log(`${o.gating ? 'gated' : 'ungated'} ${n} cameras: ${w.held ? 'held' : 'NOT held'} (busy dropped ${w.busyDropped}, real time ${w.minRealTime.toFixed(2)}, detector on ${(w.detectedShare * 100).toFixed(0)} % of frames, ${w.coresPerCamera.toFixed(3)} cores/camera)`);
      return w.held;
    } finally {
      await mix.stop();
    }
  };
  const held = await searchHeld({ start: o.start ?? 1, startHeld: o.startHeld, max: o.max, held: measure });
  return { held, windows };
}

export const SOAK_KINDS = ['decoder', 'cameraWorker', 'inference', 'host'] as const;
type SoakKind = (typeof SOAK_KINDS)[number];

/** One soak sample: minutes since the soak began (after warm-up) and the CPU/RSS of each process kind. */
export interface SoakSample extends KindSample {
  minute: number;
}

/** Seconds between soak samples: a minute, or a twelfth of a soak shorter than 12 minutes. */
export function soakStep(minutes: number): number {
  return Math.max(5, Math.min(60, (minutes * 60) / 12));
}

/** Samples the mix every `soakStep` seconds for `minutes`, logging each sample's RSS per kind. */
export async function soakSamples(mix: CameraMix, minutes: number, log: (m: string) => void): Promise<SoakSample[]> {
  const step = soakStep(minutes);
  const t0 = performance.now();
  const samples: SoakSample[] = [];
  for (;;) {
    const s = mix.sample();
    const minute = (s.at - t0) / 60_000;
    samples.push({ ...s, minute });
    log(`soak ${minute.toFixed(1)} min: RSS (private) ${SOAK_KINDS.map((k) => `${k} ${s.rssMB[k].toFixed(1)} (${s.privateMB[k].toFixed(1)}) MB`).join(', ')}`);
    if (minute >= minutes - 1e-6) return samples;
    await new Promise((r) => setTimeout(r, Math.min(step, (minutes - minute) * 60) * 1000));
  }
}

/**
 * What the soak is judged on: each kind's RSS at the `fromMinute` mark (the 10th minute of a 60-minute soak: the
 * warm-up of allocators and JIT is over) against the end (each the median of three samples), as growth in %, the least-squares slope of the samples after
 * that mark, and the cores used over the whole soak.
 */
export function soakSummary(samples: readonly SoakSample[], minutes: number) {
  const fromMinute = Math.min(10, minutes / 6);
  const fromIndex = Math.max(0, samples.findIndex((s) => s.minute >= fromMinute - 1e-6));
  const from = samples[fromIndex]!;
  const last = samples[samples.length - 1]!;
  const after = samples.slice(fromIndex);
  const first = samples[0]!;
  // RSS moves by a few MB between two samples (a GC, a pooled buffer): each end is the median of three samples
  const median3 = (xs: readonly SoakSample[], k: SoakKind, part: 'rssMB' | 'privateMB' = 'rssMB') => {
    const v = xs.map((x) => x[part][k]).sort((a, b) => a - b);
    return v[Math.floor((v.length - 1) / 2)]!;
  };
  const fromWindow = samples.slice(Math.max(0, fromIndex - 1), fromIndex + 2);
  const endWindow = samples.slice(Math.max(fromIndex, samples.length - 3));
  const slope = (k: SoakKind) => {
    if (after.length < 2) return 0;
    const mx = after.reduce((a, s) => a + s.minute, 0) / after.length;
    const my = after.reduce((a, s) => a + s.rssMB[k], 0) / after.length;
    const num = after.reduce((a, s) => a + (s.minute - mx) * (s.rssMB[k] - my), 0);
    const den = after.reduce((a, s) => a + (s.minute - mx) ** 2, 0);
    return den ? (num / den) * 60 : 0;
  };
  const r1 = (x: number) => Math.round(x * 10) / 10;
  const kinds = Object.fromEntries(
    SOAK_KINDS.map((k) => [
      k,
      {
        rssFromMB: r1(median3(fromWindow, k)),
        rssEndMB: r1(median3(endWindow, k)),
        growthPercent: median3(fromWindow, k) > 0 ? ((median3(endWindow, k) - median3(fromWindow, k)) / median3(fromWindow, k)) * 100 : 0,
        privateFromMB: r1(median3(fromWindow, k, 'privateMB')),
        privateEndMB: r1(median3(endWindow, k, 'privateMB')),
        slopeMBPerHour: r1(slope(k)),
        cores: last.at > first.at ? (last.cpuS[k] - first.cpuS[k]) / ((last.at - first.at) / 1000) : 0,
      },
    ]),
  ) as Record<SoakKind, { rssFromMB: number; rssEndMB: number; growthPercent: number; privateFromMB: number; privateEndMB: number; slopeMBPerHour: number; cores: number }>;
  return { fromMinute: r1(from.minute), kinds };
}
