import type { CameraView } from '../../../../shared/domain/camera';
import type { RootState } from '../root-state';

export const selectCameras = (s: RootState): CameraView[] => s.cameras.list;
export const selectCamerasLoaded = (s: RootState): boolean => s.cameras.loaded;
export const selectCamerasLoadError = (s: RootState): string | null => s.cameras.loadError;

/** Grid columns for the live view: 1, 2x2, 3x3 or 4x4 (more cameras scroll in 4 columns). */
export function gridColumns(count: number): number {
  if (count <= 1) return 1;
  if (count <= 4) return 2;
  if (count <= 9) return 3;
  return 4;
}
