import type { CameraState, CameraView } from '../../../../shared/domain/camera';
import type { RootState } from '../root-state';
import type { OpError, PendingOp } from './cameras.state';

export const selectCameras = (s: RootState): CameraView[] => s.cameras.list;
export const selectCamerasLoaded = (s: RootState): boolean => s.cameras.loaded;
export const selectCamerasLoadError = (s: RootState): string | null => s.cameras.loadError;
export const selectCamera = (id: string) => (s: RootState): CameraView | undefined => s.cameras.list.find((c) => c.id === id);
export const selectCameraState = (id: string) => (s: RootState): CameraState | undefined => s.cameras.statesById[id];
export const selectPending = (key: string) => (s: RootState): PendingOp | undefined => s.cameras.pending[key];
export const selectOpError = (key: string) => (s: RootState): OpError | undefined => s.cameras.errors[key];

/** Grid columns for the live view: 1, 2x2, 3x3 or 4x4 (more cameras scroll in 4 columns). */
export function gridColumns(count: number): number {
  if (count <= 1) return 1;
  if (count <= 4) return 2;
  if (count <= 9) return 3;
  return 4;
}

/** Whether a state means the picture is live (online) or at least recently live (stalled). */
export const isPictureLive = (st: CameraState | undefined): boolean => st?.type === 'online';
