import type { CameraAnalysisFacts, CameraRuntime } from '../camera/camera-runtime';
import type { Logger } from '../logging/logger';
import { AnalysisRateGovernor, type AnalysisRateGovernorOptions, type GovernedCamera, type LoadSample } from './analysis-rate-governor';

/** The inference worker's running totals (its last stats message), summed over cameras. */
export interface InferenceLoad {
  /** Frames the detector ran on, and frames a newer frame of the same camera replaced before they ran. */
  processed: number;
  dropped: number;
  /** Frames waiting for a session now. */
  pending: number;
}

export interface AnalysisRateControllerOptions {
  runtime: Pick<CameraRuntime, 'analysisFacts' | 'setReducedRate'>;
  /** The inference worker's totals; null while it is not running (nothing is then governed). */
  inferenceLoad: () => InferenceLoad | null;
  log: Logger;
  /**
   * Cameras with rules that cannot keep their floor (every camera is at its floor and the detector still falls
   * behind): called with the list each time it changes ([] when none is left starved).
   */
  onStarved?: (cameras: ReadonlyArray<{ id: string; name: string }>) => void;
  /** Lowest analysis rate of any camera, fps (default: the governor's, 2 fps, or the camera's own rate when lower). */
  floorFps?: number;
  /** Tick period, ms (default 2 000). */
  intervalMs?: number;
  governor?: AnalysisRateGovernorOptions;
  /** Share of the detector runs of a tick that may be lost to drops before the detector counts as behind (default 0.05). */
  dropShare?: number;
}

/**
 * Graceful degradation, engine side: every ~2 s gathers per camera what is at stake (rules, live tracks, tracks
 * near a rule: the camera worker's stats) and the load (frames dropped by the cameras and by the inference worker
 * since the last tick, frames waiting for the detector), runs the AnalysisRateGovernor, and applies its changes to
 * the cameras without restarting ffmpeg (CameraRuntime.setReducedRate). Every change is logged; cameras with rules
 * that cannot keep their floor are reported (`onStarved`: the engine raises a system alarm).
 */
export class AnalysisRateController {
  private readonly governor: AnalysisRateGovernor;
  private timer: NodeJS.Timeout | null = null;
  private lastDropped = new Map<string, number>();
  private lastDetected = new Map<string, number>();
  private lastInference: InferenceLoad | null = null;
  private starved = '';

  constructor(private readonly o: AnalysisRateControllerOptions) {
    this.governor = new AnalysisRateGovernor(o.governor);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.o.intervalMs ?? 2_000);
    this.timer.unref?.();
  }

  /** One tick (exposed for tests): returns the load it judged. */
  tick(): LoadSample | null {
    const facts = this.o.runtime.analysisFacts?.() ?? [];
    const inference = this.o.inferenceLoad();
    if (!inference) {
      this.lastInference = null;
      return null;
    }
    const load = this.judge(facts, inference);
    const cameras: GovernedCamera[] = facts.map((c) => ({
      id: c.id,
      targetFps: c.analysisFps,
      hasRules: c.analysis?.hasRules ?? false,
      liveTracks: c.analysis?.liveTracks ?? 0,
      tracksNearRules: c.analysis?.tracksNearRules ?? false,
      ...(this.o.floorFps !== undefined ? { floorFps: this.o.floorFps } : {}),
    }));
    for (const change of this.governor.tick(cameras, load)) {
      const cam = facts.find((c) => c.id === change.cameraId);
      const reduced = change.toFps < (cam?.analysisFps ?? Infinity) - 1e-9 ? change.toFps : null;
      this.o.runtime.setReducedRate?.(change.cameraId, reduced);
      this.o.log.info(change.reason === 'load' ? 'analysis rate reduced (load)' : 'analysis rate raised (load fell)', { camera: change.cameraId, name: cam?.name, fromFps: change.fromFps, toFps: change.toFps });
    }
    const starved = this.governor.state().starved.map((id) => ({ id, name: facts.find((c) => c.id === id)?.name ?? id }));
    const key = starved.map((s) => s.id).join(',');
    if (key !== this.starved) {
      this.starved = key;
      if (starved.length) this.o.log.warn('cameras with rules cannot keep their lowest analysis rate', { cameras: starved.map((s) => s.name) });
      else this.o.log.info('no camera starved of analysis any more');
      this.o.onStarved?.(starved);
    }
    return load;
  }

  /** Detector behind: drops past `dropShare` of the tick's detector runs. Headroom: no drop and (almost) nothing waiting. */
  private judge(facts: readonly CameraAnalysisFacts[], inference: InferenceLoad): LoadSample {
    let dropped = 0;
    let detected = 0;
    const seen = new Set<string>();
    for (const c of facts) {
      seen.add(c.id);
      const d0 = this.lastDropped.get(c.id);
      const r0 = this.lastDetected.get(c.id);
      const r = c.analysis?.detectedFrames ?? 0;
      // a restarted worker starts its totals again: count from zero
      if (d0 !== undefined && c.droppedFrames >= d0) dropped += c.droppedFrames - d0;
      if (r0 !== undefined && r >= r0) detected += r - r0;
      this.lastDropped.set(c.id, c.droppedFrames);
      this.lastDetected.set(c.id, r);
    }
    for (const id of [...this.lastDropped.keys()]) {
      if (seen.has(id)) continue;
      this.lastDropped.delete(id);
      this.lastDetected.delete(id);
    }
    const prev = this.lastInference;
    this.lastInference = inference;
    if (prev && inference.dropped >= prev.dropped) dropped += inference.dropped - prev.dropped;
    if (prev && inference.processed >= prev.processed) detected = Math.max(detected, inference.processed - prev.processed);
    const overloaded = dropped > Math.max(1, (this.o.dropShare ?? 0.05) * detected);
    return { overloaded, headroom: !overloaded && dropped === 0 && inference.pending <= 1 };
  }

  /** The governor's current rates (diagnostics, tests). */
  rates(): ReadonlyMap<string, number> {
    return this.governor.state().rates;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
