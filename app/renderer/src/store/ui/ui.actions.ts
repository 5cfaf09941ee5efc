import type { StoreDeps } from '../store-deps';
import type { Page } from './ui.state';

export interface UiActions {
  /** Shows a page (the shell mirrors it into location.hash). */
  navigate(page: Page): void;
  selectCamera(id: string | null): void;
  toggleOverlay(which: 'boxes' | 'labels' | 'motion'): void;
  /** Opens the camera form for an id, `new`, or closes it (null). */
  editCamera(id: string | null): void;
}

export function createUiActions({ set }: StoreDeps): UiActions {
  return {
    navigate: (page) => set((s) => ({ ui: { ...s.ui, page } })),
    selectCamera: (id) => set((s) => ({ ui: { ...s.ui, selectedCameraId: id } })),
    toggleOverlay: (which) => set((s) => ({ ui: { ...s.ui, overlays: { ...s.ui.overlays, [which]: !s.ui.overlays[which] } } })),
    editCamera: (id) => set((s) => ({ ui: { ...s.ui, editing: id } })),
  };
}
