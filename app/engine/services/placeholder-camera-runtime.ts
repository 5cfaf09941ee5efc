import type { CameraState } from '../../shared/domain/camera';
import type { ComponentHealth } from '../../shared/domain/health';
import type { CameraRuntime, CameraRuntimeConfig } from '../camera/camera-runtime';
import type { Logger } from '../logging/logger';
import type { Disposable, WorkerStarter } from '../process/worker-starter';

/**
 * PLACEHOLDER until the camera supervisor is merged: runs no worker; every enabled camera is reported
 * `offline` with a reason saying so. Replace the default factory in engine.ts with
 * `(starter, logger) => new CameraSupervisor(...)`.
 */
export class PlaceholderCameraRuntime implements CameraRuntime {
  private cameras: CameraRuntimeConfig[] = [];
  private readonly since = Date.now();
  constructor(
    _starter: WorkerStarter,
    private readonly logger: Logger,
  ) {}
  apply(cameras: CameraRuntimeConfig[]): void {
    this.cameras = cameras.map((c) => ({ ...c }));
    this.logger.debug('placeholder runtime: apply', { cameras: cameras.length });
  }
  state(id: string): CameraState {
    const c = this.cameras.find((x) => x.id === id);
    if (!c || !c.enabled) return { type: 'disabled' };
    return { type: 'offline', since: this.since, reason: 'The camera runtime is not available in this build.', retryAt: null };
  }
  onState(): Disposable {
    return { dispose() {} };
  }
  onFrame(): Disposable {
    return { dispose() {} };
  }
  health(): ComponentHealth[] {
    return [];
  }
  async dispose(): Promise<void> {
    this.cameras = [];
  }
}
