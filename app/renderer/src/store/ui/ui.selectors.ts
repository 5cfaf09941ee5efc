import type { RootState } from '../root-state';

export const selectPage = (s: RootState) => s.ui.page;
export const selectOverlays = (s: RootState) => s.ui.overlays;
export const selectSelectedCamera = (s: RootState) => s.ui.selectedCameraId;
export const selectEditing = (s: RootState) => s.ui.editing;
