import type { Layout, LayoutBody } from '../../../../shared/ipc/layouts.contract';

export interface LayoutsState {
  /** The user's saved layouts. */
  saved: Layout[];
  /** The layout on screen (a working copy; null = automatic grid of all cameras). */
  body: LayoutBody | null;
  /** Name of the saved layout the working copy came from. */
  name: string | null;
  /** Cameras the restored layout named that no longer exist. */
  missingCameras: string[];
  /** Single camera full-window (tile index), null = the grid. */
  fullIndex: number | null;
  /** Refusal of the last save, shown in the toolbar. */
  error: string | null;
  loaded: boolean;
}

export const initialLayoutsState: LayoutsState = { saved: [], body: null, name: null, missingCameras: [], fullIndex: null, error: null, loaded: false };
