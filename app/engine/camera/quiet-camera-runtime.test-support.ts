import type { CameraState } from '../../shared/domain/camera';
import type { LiveFrame } from '../../shared/domain/detection';
import type { ComponentHealth } from '../../shared/domain/health';
import type { Disposable, WorkerStarter } from '../process/worker-starter';
import type { CameraRuntime, CameraRuntimeConfig } from './camera-runtime';

const none: Disposable = { dispose: () => undefined };

/**
 * A camera runtime that starts nothing: engine tests that only need the engine's services extend it and override
 * what they observe (applied configs, state listeners).
 */
export class QuietCameraRuntime implements CameraRuntime {
  apply(_cameras: CameraRuntimeConfig[]): void {}
  state(_id: string): CameraState {
    return { type: 'disabled' };
  }
  onState(_listener: (id: string, state: CameraState) => void): Disposable {
    return none;
  }
  onFrame(_listener: (frame: LiveFrame) => void): Disposable {
    return none;
  }
  onAnalytics(): Disposable {
    return none;
  }
  onTracks(): Disposable {
    return none;
  }
  setRules(): void {}
  health(): ComponentHealth[] {
    return [];
  }
  async dispose(): Promise<void> {}
}

/** A worker starter for engine tests that must not start any worker process (no cameras, no detection). */
export const NO_WORKERS: WorkerStarter = {
  start: () => {
    throw new Error('no workers in this test');
  },
};
