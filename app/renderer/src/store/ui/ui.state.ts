/** Pages of the app shell. */
export type Page = 'live' | 'cameras' | 'health' | 'models' | 'reports' | 'settings' | 'alarms' | 'events' | 'monitor' | 'export' | 'users' | 'audit' | 'playback' | 'watchlist';
export const PAGES: readonly Page[] = ['live', 'alarms', 'events', 'playback', 'watchlist', 'cameras', 'reports', 'health', 'models', 'settings', 'export', 'users', 'audit'];
/** Pages reachable by hash but not in the navigation (the alarm monitor window). */
export const HIDDEN_PAGES: readonly Page[] = ['monitor'];

export interface UiState {
  page: Page;
  /** Camera focused in the live view (null = grid). */
  selectedCameraId: string | null;
  /** Which overlay parts the live tiles draw. */
  /** `motion`: the motion boxes of motion-gated detection, dashed (off by default). */
  overlays: { boxes: boolean; labels: boolean; motion: boolean };
  /** Camera being edited on the Cameras page: an id, `new`, or null for none. */
  editing: string | null;
  /** Camera whose rule editor is open on the Live page (null = none). */
  rulesCameraId: string | null;
}
export const initialUiState: UiState = { page: 'live', selectedCameraId: null, overlays: { boxes: true, labels: true, motion: false }, editing: null, rulesCameraId: null };

export function pageFromHash(hash: string): Page {
  const p = hash.replace(/^#\/?/, '') as Page;
  return PAGES.includes(p) || HIDDEN_PAGES.includes(p) ? p : 'live';
}
