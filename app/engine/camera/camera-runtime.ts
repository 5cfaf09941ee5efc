import type { CameraState } from '../../shared/domain/camera';
import type { DetectionTiling } from '../../shared/domain/detection-tiling';
import type { LiveFrame } from '../../shared/domain/detection';
import type { MotionGating } from '../../shared/domain/motion-gating';
import type { ComponentHealth } from '../../shared/domain/health';
import type { Rule } from '../../shared/domain/rules';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { ModelInputSpec } from '../inference/inference-api';
import type { CompactTrack } from '../ledger/track-store';
import type { AnalyticsReport } from './analytics-stage';
import type { CameraAnalysisStatus } from './camera-worker-protocol';
import type { Disposable } from '../process/worker-starter';

/** What the engine asks the camera runtime to run for one camera (the secret-bearing source included). */
export interface CameraRuntimeConfig {
  id: string;
  name: string;
  /** Unmasked source (may carry credentials): only ever given to the camera worker, never logged. */
  source: string;
  rtspTransport: 'tcp' | 'udp';
  analysisFps: number;
  enabled: boolean;
  /** Detection for this camera; absent = detection off. `tiling`: tiled detection (absent = the whole frame, once). */
  inference?: { endpoint: string; spec: ModelInputSpec; tiling?: DetectionTiling };
  /** Motion-gated detection (absent: off). */
  motionGating?: MotionGating;
  /** Counting lines and zones; applied live by `setRules` (not part of the restart key). */
  rules?: Rule[];
  /** Active privacy masks (lifted ones left out); `apply` hands changes to the running worker (its ffmpeg restarts, the worker and its tracks stay). */
  masks?: PrivacyMask[];
}

/** One online camera with detection, as the analysis-rate governor sees it. */
export interface CameraAnalysisFacts {
  id: string;
  name: string;
  /** Configured analysis rate. */
  analysisFps: number;
  /** The rate while reduced for load (null: configured). */
  reducedFps: number | null;
  /** Frames decoded but not analysed since the worker started (the camera's one inference slot was busy). */
  droppedFrames: number;
  /** Tracks, rules and gating from the worker's last stats (null before the first). */
  analysis: CameraAnalysisStatus | null;
}

/**
 * Owns one worker process per enabled camera: starts, stops and restarts them (crash -> backoff), tracks
 * their lifecycle state, and emits their frames. Implemented by camera-supervisor.ts.
 */
export interface CameraRuntime {
  /** Desired state: starts new/enabled cameras, stops removed/disabled ones, restarts changed ones. */
  apply(cameras: CameraRuntimeConfig[]): void;
  state(id: string): CameraState;
  onState(listener: (id: string, state: CameraState) => void): Disposable;
  onFrame(listener: (frame: LiveFrame) => void): Disposable;
  /** Rule events and live counters (from the camera's tracker and rules). */
  onAnalytics(listener: (cameraId: string, report: AnalyticsReport) => void): Disposable;
  /** Finished tracks, for the track store. */
  onTracks(listener: (cameraId: string, tracks: CompactTrack[]) => void): Disposable;
  /** Applies new rules to a running camera without restarting it. */
  setRules(id: string, rules: Rule[]): void;
  /** The camera's analysis rate while reduced for load (null: its configured rate), without restarting ffmpeg. */
  setReducedRate?(id: string, fps: number | null): void;
  /** Per online camera with detection: what the engine's analysis-rate governor needs (camera-supervisor.ts). */
  analysisFacts?(): CameraAnalysisFacts[];
  health(): ComponentHealth[];
  /** Stops every worker (and its ffmpeg); resolves when all processes are gone. */
  dispose(): Promise<void>;
}
