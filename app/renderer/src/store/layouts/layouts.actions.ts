import type { GridPreset, Layout } from '../../../../shared/ipc/layouts.contract';
import { errorMessage } from '../../api/api-error';
import { assignCamera, presetLayout, spanTile } from '../../live/layout-grid';
import type { StoreDeps } from '../store-deps';

export interface LayoutsActions {
  /** Loads the user's layouts and restores the current one. */
  loadLayouts(): Promise<void>;
  /** Switches the working layout to a preset grid (keeps the cameras shown). */
  applyPreset(grid: Exclude<GridPreset, 'custom'>): void;
  /** Puts a camera into a tile (drag and drop or the tile's chooser); null empties it. */
  assignTile(index: number, cameraId: string | null): void;
  /** Custom span of a tile. */
  spanTile(index: number, colSpan: number, rowSpan: number): void;
  /** Single camera full-window (tile index) or back to the grid (null). */
  setFullIndex(index: number | null): void;
  /** Saves the working layout under a name (becomes the one restored at start); false when refused. */
  saveLayout(name: string): Promise<boolean>;
  /** Shows a saved layout (and makes it the one restored at start). */
  switchLayout(id: string): Promise<void>;
}

export function createLayoutsActions({ api, set, get }: StoreDeps): LayoutsActions {
  const show = (l: Layout) => set((s) => ({ layouts: { ...s.layouts, body: l.body, name: l.name, missingCameras: l.missingCameras, fullIndex: null, error: null } }));
  const cameraIds = () => get().cameras.list.map((c) => c.id);
  return {
    async loadLayouts() {
      try {
        const [saved, current] = await Promise.all([api.invoke('layouts:list', {}), api.invoke('layouts:current', {})]);
        set((s) => ({ layouts: { ...s.layouts, saved, loaded: true } }));
        // A layout being edited is kept on reconnect; otherwise the saved current one is restored.
        if (current && (!get().layouts.body || get().layouts.name === current.name)) show(current);
      } catch (e) {
        set((s) => ({ layouts: { ...s.layouts, error: errorMessage(e) } }));
      }
    },
    applyPreset: (grid) => set((s) => ({ layouts: { ...s.layouts, body: presetLayout(grid, s.layouts.body, cameraIds()), fullIndex: null, error: null } })),
    assignTile: (index, cameraId) =>
      set((s) => {
        const body = s.layouts.body ?? presetLayout('2x2', null, cameraIds());
        return { layouts: { ...s.layouts, body: assignCamera(body, index, cameraId), missingCameras: s.layouts.missingCameras.filter((id) => id !== cameraId) } };
      }),
    spanTile: (index, colSpan, rowSpan) => set((s) => (s.layouts.body ? { layouts: { ...s.layouts, body: spanTile(s.layouts.body, index, colSpan, rowSpan) } } : {})),
    setFullIndex: (index) => set((s) => ({ layouts: { ...s.layouts, fullIndex: index } })),
    async saveLayout(name) {
      const body = get().layouts.body ?? presetLayout('2x2', null, cameraIds());
      try {
        const saved = await api.invoke('layouts:save', { name, body });
        show(saved);
        const list = await api.invoke('layouts:list', {});
        set((s) => ({ layouts: { ...s.layouts, saved: list } }));
        return true;
      } catch (e) {
        set((s) => ({ layouts: { ...s.layouts, error: errorMessage(e) } }));
        return false;
      }
    },
    async switchLayout(id) {
      try {
        show(await api.invoke('layouts:set-current', { id }));
      } catch (e) {
        set((s) => ({ layouts: { ...s.layouts, error: errorMessage(e) } }));
      }
    },
  };
}
