import type { CameraState } from '../../shared/domain/camera';
import type { LiveFrame } from '../../shared/domain/detection';
import type { ComponentHealth } from '../../shared/domain/health';
import type { ModelInputSpec } from '../inference/inference-api';
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
  /** Detection for this camera; absent = detection off. */
  inference?: { endpoint: string; spec: ModelInputSpec };
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
  health(): ComponentHealth[];
  /** Stops every worker (and its ffmpeg); resolves when all processes are gone. */
  dispose(): Promise<void>;
}
