import fs from 'node:fs';
import { Emitter } from '../../shared/events/emitter';
import { modelInputsPerFrame } from '../../shared/domain/detection-tiling';
import type { CameraState } from '../../shared/domain/camera';
import type { Rule } from '../../shared/domain/rules';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { CompactTrack } from '../ledger/track-store';
import type { AnalyticsReport } from './analytics-stage';
import type { LiveFrame } from '../../shared/domain/detection';
import type { ComponentHealth } from '../../shared/domain/health';
import { nullLogger, type Logger } from '../logging/logger';
import { writeWorkerLog } from '../logging/worker-logger';
import type { Disposable, WorkerExit, WorkerHandle, WorkerStarter } from '../process/worker-starter';
import { createBackoff, type Backoff, type BackoffOptions } from './backoff';
import type { CameraAnalysisFacts, CameraRuntime, CameraRuntimeConfig } from './camera-runtime';
import { cameraHealthLevel } from '../../shared/domain/camera-health';
import { describeCameraState, initialCameraState, nextCameraState } from './camera-state';
import { defaultCameraWorkerOptions, type CameraWorkerOptions, type CameraWorkerStats, type FromCameraWorker } from './camera-worker-protocol';

/** Options of the CameraSupervisor. */
export interface CameraSupervisorOptions {
  starter: WorkerStarter;
  logger?: Logger;
  /** Overrides for the worker's watchdog, backoff, display size... (see CameraWorkerOptions). */
  worker?: Partial<CameraWorkerOptions>;
  /** Backoff for restarting crashed workers (default 1 s doubling to 60 s, ±20 %). */
  restartBackoff?: BackoffOptions;
  /** Worker bundle name (default camera-worker.cjs). */
  entry?: string;
  /** Grace given to a worker to stop before SIGKILL, ms (default 5 000). */
  stopGraceMs?: number;
  now?: () => number;
}

/** A worker that ran at least this long before crashing restarts after the initial delay again. */
const WORKER_STABLE_MS = 60_000;

interface Slot {
  config: CameraRuntimeConfig;
  key: string;
  state: CameraState;
  handle: WorkerHandle | null;
  subs: Disposable[];
  startedAt: number;
  restartTimer: NodeJS.Timeout | null;
  restarts: number;
  backoff: Backoff;
  stats: CameraWorkerStats | null;
  ffmpegPid: number | null;
  lastFrameAt: number | null;
  /** The analysis rate while reduced for load (null: configured); sent again to a restarted worker. */
  reducedFps: number | null;
  /** Resolves when the current worker is gone. */
  stopped: Promise<void>;
}

/**
 * CameraRuntime with one worker process per enabled camera (dist/node/camera-worker.cjs, started through the
 * injected WorkerStarter). The worker owns the camera's lifecycle while it runs; the supervisor owns it when
 * the worker is down: a crashed worker moves the camera to `reconnecting` and is restarted with backoff.
 */
export class CameraSupervisor implements CameraRuntime {
  private readonly slots = new Map<string, Slot>();
  private readonly stateEmitter: Emitter<[id: string, state: CameraState]>;
  private readonly frameEmitter: Emitter<[frame: LiveFrame]>;
  private readonly analyticsEmitter: Emitter<[cameraId: string, report: AnalyticsReport]>;
  private readonly trackEmitter: Emitter<[cameraId: string, tracks: CompactTrack[]]>;
  private readonly workerOptions: CameraWorkerOptions;
  private readonly log: Logger;
  private readonly now: () => number;
  private disposed = false;
  private readonly pendingStops = new Set<Promise<void>>();

  constructor(private readonly o: CameraSupervisorOptions) {
    this.workerOptions = { ...defaultCameraWorkerOptions, ...(o.worker ?? {}) };
    this.log = (o.logger ?? nullLogger).child({ component: 'camera-supervisor' });
    this.stateEmitter = new Emitter({ name: 'camera state', log: this.log });
    this.frameEmitter = new Emitter({ name: 'camera frame', log: this.log });
    this.analyticsEmitter = new Emitter({ name: 'camera analytics', log: this.log });
    this.trackEmitter = new Emitter({ name: 'camera tracks', log: this.log });
    this.now = o.now ?? Date.now;
  }

  apply(cameras: CameraRuntimeConfig[]): void {
    if (this.disposed) return;
    const desired = new Map(cameras.map((c) => [c.id, c]));
    for (const [id, slot] of this.slots) {
      if (!desired.has(id)) {
        this.stopSlot(slot);
        this.slots.delete(id);
        this.emitState(id, { type: 'disabled' });
      }
    }
    for (const config of desired.values()) {
      // Rules are applied live (setRules); only the rest of the config restarts a worker.
      const { rules, masks, ...restartRelevant } = config;
      const key = JSON.stringify(restartRelevant);
      const slot = this.slots.get(config.id);
      if (slot && slot.key === key) {
        if (rules && JSON.stringify(rules) !== JSON.stringify(slot.config.rules ?? [])) this.setRules(config.id, rules);
        if (JSON.stringify(masks ?? []) !== JSON.stringify(slot.config.masks ?? [])) this.setMasks(config.id, masks ?? []);
        continue;
      }
      const previous = slot ? this.stopSlot(slot) : Promise.resolve();
      const next = this.newSlot(config, key, previous);
      this.slots.set(config.id, next);
      if (!config.enabled) this.setState(next, { type: 'disabled' }, true);
      else {
        this.setState(next, initialCameraState(true, this.now()), true);
        // A changed camera starts once its previous worker (and ffmpeg) is gone.
        void previous.then(() => {
          if (this.slots.get(config.id) === next && !this.disposed) this.startWorker(next);
        });
      }
    }
  }

  state(id: string): CameraState {
    return this.slots.get(id)?.state ?? { type: 'disabled' };
  }

  onState(listener: (id: string, state: CameraState) => void): Disposable {
    return this.stateEmitter.on(listener);
  }

  onFrame(listener: (frame: LiveFrame) => void): Disposable {
    return this.frameEmitter.on(listener);
  }

  onAnalytics(listener: (cameraId: string, report: AnalyticsReport) => void): Disposable {
    return this.analyticsEmitter.on(listener);
  }

  onTracks(listener: (cameraId: string, tracks: CompactTrack[]) => void): Disposable {
    return this.trackEmitter.on(listener);
  }

  setRules(id: string, rules: Rule[]): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.config = { ...slot.config, rules };
    slot.handle?.send({ type: 'rules', rules });
  }

  setMasks(id: string, masks: PrivacyMask[]): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    slot.config = { ...slot.config, masks };
    slot.handle?.send({ type: 'masks', masks });
  }

  setReducedRate(id: string, fps: number | null): void {
    const slot = this.slots.get(id);
    if (!slot || slot.reducedFps === fps) return;
    slot.reducedFps = fps;
    slot.handle?.send({ type: 'reduced-rate', fps });
  }

  /** What the engine's analysis-rate governor needs of each running camera with detection. */
  analysisFacts(): CameraAnalysisFacts[] {
    const out: CameraAnalysisFacts[] = [];
    for (const slot of this.slots.values()) {
      if (!slot.config.enabled || !slot.config.inference || slot.state.type !== 'online') continue;
      out.push({ id: slot.config.id, name: slot.config.name, analysisFps: slot.config.analysisFps, reducedFps: slot.reducedFps, droppedFrames: slot.stats?.droppedFrames ?? 0, analysis: slot.stats?.analysis ?? null });
    }
    return out;
  }

  /** The worker pid and its current ffmpeg pid for a camera (diagnostics and tests). */
  processes(id: string): { workerPid: number | null; ffmpegPid: number | null } {
    const s = this.slots.get(id);
    return { workerPid: s?.handle?.pid ?? null, ffmpegPid: s?.ffmpegPid ?? null };
  }

  health(): ComponentHealth[] {
    const now = this.now();
    const out: ComponentHealth[] = [];
    for (const slot of this.slots.values()) {
      const { id, name } = slot.config;
      const st = slot.stats;
      const lastFrameAt = slot.lastFrameAt ?? st?.lastFrameAt ?? null;
      // One rule for every camera's level (app/shared/domain/camera-health.ts).
      const verdict = cameraHealthLevel({ state: slot.state, now, fps: st?.fps, targetFps: slot.config.analysisFps, detectionUnavailable: st?.detection.status === 'unavailable' });
      let detail = describeCameraState(slot.state, now);
      if (verdict.why) detail += `; ${verdict.why}`;
      if (st?.detection.status === 'unavailable' && slot.state.type === 'online') detail += `; ${st.detection.detail ?? 'detection unavailable'}`;
      // a tiled camera's detection time covers all of its parts: say so beside it
      const inputs = modelInputsPerFrame(slot.config.inference?.tiling);
      if (inputs > 1) detail += `; each picture checked in ${inputs} parts (about ${inputs}x the detection work)`;
      if (slot.reducedFps !== null && slot.state.type === 'online') detail += `; reduced to ${slot.reducedFps} fps (load)`;
      const a = st?.analysis;
      if (a && slot.config.motionGating?.enabled && a.detectedFrames + a.gatedFrames > 0 && slot.state.type === 'online') {
        detail += `; people looked for in ${Math.round((100 * a.detectedFrames) / (a.detectedFrames + a.gatedFrames))} % of pictures (the others showed no movement)`;
      }
      out.push({
        id: `camera:${id}`,
        kind: 'camera',
        name,
        level: verdict.level,
        detail,
        metrics: {
          ...(st ? { fps: st.fps, droppedFrames: st.droppedFrames } : {}),
          lastFrameAgeMs: lastFrameAt === null ? null : Math.max(0, now - lastFrameAt),
          reconnects: (st?.reconnects ?? 0) + slot.restarts,
          ...(st?.detection.inferenceMs !== undefined ? { inferenceMs: st.detection.inferenceMs } : {}),
          ...(st?.decode ? { decodeLatencyMs: Math.round(st.decode.meanMs * 10) / 10 } : {}),
          ...(st?.decode?.histogram ? { decodeHistogram: st.decode.histogram } : {}),
        },
      });
      if (!slot.config.enabled) continue;
      const running = slot.handle !== null;
      out.push({
        id: `worker:camera:${id}`,
        kind: 'worker',
        name: `Camera worker (${name})`,
        level: running ? 'healthy' : 'unhealthy',
        detail: running ? `Running (pid ${slot.handle?.pid ?? '?'})` : 'Not running; restarting',
        metrics: {
          ...(slot.handle?.pid ? { pid: slot.handle.pid } : {}),
          ...(st && running ? { cpuPercent: st.worker.cpuPercent, rssBytes: st.worker.rssBytes } : {}),
          restarts: slot.restarts,
        },
      });
      if (st?.ffmpeg && running) {
        out.push({
          id: `worker:camera:${id}:ffmpeg`,
          kind: 'worker',
          name: `ffmpeg (${name})`,
          level: 'healthy',
          detail: `Decoding (pid ${st.ffmpeg.pid})`,
          metrics: {
            pid: st.ffmpeg.pid,
            ...(st.ffmpeg.usage ? { cpuPercent: st.ffmpeg.usage.cpuPercent, rssBytes: st.ffmpeg.usage.rssBytes } : {}),
          },
        });
      }
    }
    return out;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const slot of this.slots.values()) this.stopSlot(slot);
    this.slots.clear();
    while (this.pendingStops.size > 0) await Promise.all([...this.pendingStops]);
    this.stateEmitter.clear();
    this.frameEmitter.clear();
    this.analyticsEmitter.clear();
    this.trackEmitter.clear();
  }

  private newSlot(config: CameraRuntimeConfig, key: string, previous: Promise<void>): Slot {
    return {
      config,
      key,
      state: { type: 'disabled' },
      handle: null,
      subs: [],
      startedAt: 0,
      restartTimer: null,
      restarts: 0,
      backoff: createBackoff(this.o.restartBackoff),
      stats: null,
      ffmpegPid: null,
      lastFrameAt: null,
      reducedFps: null,
      stopped: previous,
    };
  }

  private setState(slot: Slot, state: CameraState, force = false): void {
    const same =
      JSON.stringify(slot.state) === JSON.stringify(state) ||
      // A (re)started worker reports its own `connecting`; the supervisor already announced this attempt.
      (slot.state.type === 'connecting' && state.type === 'connecting');
    if (!force && same) return;
    slot.state = state;
    this.emitState(slot.config.id, state);
  }

  private emitState(id: string, state: CameraState): void {
    this.stateEmitter.emit(id, state);
  }

  private startWorker(slot: Slot): void {
    slot.restartTimer = null;
    const { id } = slot.config;
    let handle: WorkerHandle;
    try {
      handle = this.o.starter.start({ name: `camera:${id}`, entry: this.o.entry ?? 'camera-worker.cjs', binaryMessages: true });
    } catch (e) {
      this.onWorkerGone(slot, null, `The camera worker could not be started: ${(e as Error).message}`);
      return;
    }
    slot.handle = handle;
    slot.startedAt = this.now();
    slot.stats = null;
    let resolveStopped!: () => void;
    slot.stopped = new Promise((r) => (resolveStopped = r));
    this.log.info('camera worker started', { camera: id, pid: handle.pid });
    slot.subs.push(
      handle.onMessage((raw) => this.onWorkerMessage(slot, handle, raw as FromCameraWorker)),
      handle.onExit((exit) => {
        resolveStopped();
        if (slot.handle !== handle) return;
        this.onWorkerExit(slot, handle, exit);
      }),
    );
  }

  private onWorkerMessage(slot: Slot, handle: WorkerHandle, m: FromCameraWorker): void {
    // log lines count even from a worker being stopped (they say why it stops)
    if (m.type === 'log') return writeWorkerLog(this.log.child({ camera: slot.config.id, pid: handle.pid }), m);
    if (slot.handle !== handle || this.disposed) return;
    switch (m.type) {
      case 'ready':
        handle.send({ type: 'start', config: slot.config, options: this.workerOptions });
        if (slot.reducedFps !== null) handle.send({ type: 'reduced-rate', fps: slot.reducedFps });
        break;
      case 'state':
        this.setState(slot, m.state);
        break;
      case 'frame': {
        slot.lastFrameAt = m.header.capturedAt;
        this.frameEmitter.emit({ ...m.header, jpeg: m.jpeg });
        break;
      }
      case 'stats':
        slot.stats = m.stats;
        break;
      case 'ffmpeg':
        slot.ffmpegPid = m.pid;
        break;
      case 'analytics':
        this.analyticsEmitter.emit(slot.config.id, m.report);
        break;
      case 'tracks':
        this.trackEmitter.emit(slot.config.id, m.tracks);
        break;
    }
  }

  private onWorkerExit(slot: Slot, handle: WorkerHandle, exit: WorkerExit): void {
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    this.log.warn('camera worker exited unexpectedly', { camera: slot.config.id, pid: handle.pid, how });
    this.onWorkerGone(slot, handle, `The camera worker stopped unexpectedly (${how})`);
  }

  private onWorkerGone(slot: Slot, handle: WorkerHandle | null, reason: string): void {
    for (const s of slot.subs.splice(0)) s.dispose();
    slot.handle = null;
    killLeftoverFfmpeg(slot.ffmpegPid, slot.config.id);
    slot.ffmpegPid = null;
    if (this.disposed || this.slots.get(slot.config.id) !== slot) return;
    const now = this.now();
    if (handle && now - slot.startedAt >= WORKER_STABLE_MS) slot.backoff.reset();
    slot.restarts += 1;
    const delay = slot.backoff.next();
    this.setState(slot, nextCameraState(slot.state, { type: 'failure', at: now, reason, permanent: false, attempt: slot.backoff.attempt, retryAt: now + delay }));
    slot.restartTimer = setTimeout(() => {
      if (this.disposed || this.slots.get(slot.config.id) !== slot) return;
      this.setState(slot, nextCameraState(slot.state, { type: 'connect', at: this.now(), attempt: slot.backoff.attempt }));
      this.startWorker(slot);
    }, delay);
  }

  /** Stops a slot's worker; resolves when it (and its ffmpeg) is gone. */
  private stopSlot(slot: Slot): Promise<void> {
    if (slot.restartTimer) clearTimeout(slot.restartTimer);
    slot.restartTimer = null;
    const handle = slot.handle;
    slot.handle = null;
    for (const s of slot.subs.splice(0)) s.dispose();
    if (!handle) return slot.stopped;
    const ffmpegPid = slot.ffmpegPid;
    slot.ffmpegPid = null;
    const p = handle
      .stop(this.o.stopGraceMs ?? 5_000)
      .then(() => killLeftoverFfmpeg(ffmpegPid, slot.config.id))
      .catch(() => {})
      .finally(() => this.pendingStops.delete(p));
    this.pendingStops.add(p);
    return p;
  }
}

/**
 * After a worker died hard (SIGKILL, OOM) its ffmpeg may live on (a stalled ffmpeg never writes, so it never
 * notices the closed pipes). Kill it, after checking on Linux that the pid still is that camera's ffmpeg.
 */
function killLeftoverFfmpeg(pid: number | null, cameraId: string): void {
  if (!pid) return;
  try {
    if (process.platform === 'linux') {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(`comment=watchroom-cam-${cameraId}\0`)) return;
    }
    process.kill(pid, 'SIGKILL');
  } catch {}
}
