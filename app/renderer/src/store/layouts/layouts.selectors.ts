import type { RootState } from '../root-state';

export const selectLayoutBody = (s: RootState) => s.layouts.body;
export const selectLayoutName = (s: RootState) => s.layouts.name;
export const selectSavedLayouts = (s: RootState) => s.layouts.saved;
export const selectLayoutError = (s: RootState) => s.layouts.error;
export const selectMissingCameras = (s: RootState) => s.layouts.missingCameras;
export const selectFullIndex = (s: RootState) => s.layouts.fullIndex;
