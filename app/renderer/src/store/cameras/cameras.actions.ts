import type { CameraInput, CameraView } from '../../../../shared/domain/camera';
import type { LiveFrame } from '../../../../shared/domain/detection';
import { errorCode, errorDetails, errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';
import * as r from './cameras.reducers';
import { NEW_CAMERA, type PendingOp } from './cameras.state';

export interface CamerasActions {
  loadCameras(): Promise<void>;
  /** Adds a camera; resolves the saved view, or null when it failed (the error is in cameras.errors.new). */
  addCamera(input: CameraInput): Promise<CameraView | null>;
  updateCamera(id: string, patch: Partial<CameraInput>): Promise<CameraView | null>;
  removeCamera(id: string): Promise<boolean>;
  setCameraEnabled(id: string, enabled: boolean): Promise<boolean>;
  clearCameraError(key: string): void;
  /** Live frames of one camera, straight from the API (never stored). */
  subscribeFrames(cameraId: string, listener: (f: LiveFrame) => void): () => void;
}

export function createCamerasActions({ api, set, get }: StoreDeps): CamerasActions {
  const patch = (fn: (s: ReturnType<typeof get>['cameras']) => ReturnType<typeof get>['cameras']) => set((s) => ({ cameras: fn(s.cameras) }));
  async function run<T>(key: string, op: PendingOp, call: () => Promise<T>, onOk: (v: T) => void): Promise<T | null> {
    patch((c) => r.opStarted(c, key, op));
    try {
      const v = await call();
      onOk(v);
      patch((c) => r.opFinished(c, key, null));
      return v;
    } catch (e) {
      patch((c) => r.opFinished(c, key, r.toOpError(errorCode(e), errorMessage(e), errorDetails(e))));
      return null;
    }
  }
  return {
    async loadCameras() {
      try {
        const list = await api.invoke('cameras:list');
        patch((c) => r.listReceived(c, list));
      } catch (e) {
        patch((c) => r.listFailed(c, errorMessage(e)));
      }
    },
    addCamera: (input) => run(NEW_CAMERA, 'add', () => api.invoke('cameras:add', input), (v) => patch((c) => r.cameraUpserted(c, v))),
    updateCamera: (id, p) => run(id, 'update', () => api.invoke('cameras:update', { id, patch: p }), (v) => patch((c) => r.cameraUpserted(c, v))),
    async removeCamera(id) {
      const v = await run(id, 'remove', () => api.invoke('cameras:remove', { id }), () => patch((c) => r.cameraRemoved(c, id)));
      return v !== null;
    },
    async setCameraEnabled(id, enabled) {
      const v = await run(id, 'set-enabled', () => api.invoke('cameras:set-enabled', { id, enabled }), (view) => patch((c) => r.cameraUpserted(c, view)));
      return v !== null;
    },
    clearCameraError: (key) => patch((c) => r.errorCleared(c, key)),
    subscribeFrames: (cameraId, listener) => api.subscribeFrames(cameraId, listener),
  };
}
