import type { ReportFormat, ReportRequest, ReportSchedule } from '../../../../shared/domain/reports';
import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';
import { exportStarted } from './reports.reducers';

export interface ReportsActions {
  /** Builds the report for the dashboard (reports:build). */
  loadReport(request: ReportRequest): Promise<void>;
  /** Starts an export of the dashboard's report; progress arrives by push. */
  exportReport(format: ReportFormat, rows?: 'report' | 'events', request?: ReportRequest): Promise<void>;
  cancelExport(exportId: string): Promise<void>;
  /**
   * Loads a shift of the occurrence book with its entries and sign-off: the one at `at` (an earlier shift), the
   * one running now (null), or the one shown already (undefined).
   */
  loadShift(at?: number | null): Promise<void>;
  addEntry(text: string): Promise<boolean>;
  signOffShift(note: string): Promise<void>;
  loadSchedules(): Promise<void>;
  saveSchedule(s: Omit<ReportSchedule, 'id' | 'lastRunAt'>): Promise<boolean>;
  removeSchedule(id: string): Promise<void>;
  /** Loads the report folders (the default one and those an admin added). */
  loadReportFolders(): Promise<void>;
  /** Chooses where the next exports go (null = the default folder). */
  setExportFolder(folder: string | null): void;
  /** Admin: replaces the added report folders (each must exist and be writable). */
  saveReportFolders(folders: string[]): Promise<boolean>;
}

export function createReportsActions({ api, set, get }: StoreDeps): ReportsActions {
  const patch = (p: Partial<ReturnType<typeof get>['reports']>) => set((s) => ({ reports: { ...s.reports, ...p } }));
  const loadShift = async (which?: number | null) => {
    const at = which === undefined ? get().reports.shiftAt : which;
    try {
      const cur = await api.invoke('reports:shift-current', at === null ? {} : { at });
      const entries = await api.invoke('reports:book-list', { from: cur.from, to: cur.to });
      // The shift running now is shown as "now" (it follows the clock), an earlier one by its moment.
      const now = await api.invoke('reports:shift-current', {});
      patch({ shift: { ...cur, entries }, shiftAt: cur.from === now.from ? null : at, shiftError: null });
    } catch (e) {
      patch({ shiftError: errorMessage(e) });
    }
  };
  const loadSchedules = async () => {
    try {
      patch({ schedules: await api.invoke('reports:schedules', {}), schedulesError: null });
    } catch (e) {
      patch({ schedulesError: errorMessage(e) });
    }
  };
  return {
    async loadReport(request) {
      patch({ request, loading: true, error: null });
      try {
        const model = await api.invoke('reports:build', request);
        // Only the latest request's answer is shown.
        if (get().reports.request === request) patch({ model, loading: false });
      } catch (e) {
        if (get().reports.request === request) patch({ loading: false, error: errorMessage(e), model: null });
      }
    },
    async exportReport(format, rows = 'report', request) {
      try {
        const folder = get().reports.exportFolder;
        const { exportId } = await api.invoke('reports:export', { request: request ?? get().reports.request, format, rows, ...(folder ? { folder } : {}) });
        set((s) => ({ reports: exportStarted(s.reports, exportId) }));
      } catch (e) {
        patch({ exportError: errorMessage(e) });
      }
    },
    async cancelExport(exportId) {
      try {
        await api.invoke('reports:cancel-export', { exportId });
      } catch (e) {
        patch({ exportError: errorMessage(e) });
      }
    },
    loadShift,
    async addEntry(text) {
      patch({ shiftBusy: true });
      try {
        await api.invoke('reports:book-add', { text });
        await loadShift();
        return true;
      } catch (e) {
        patch({ shiftError: errorMessage(e) });
        return false;
      } finally {
        patch({ shiftBusy: false });
      }
    },
    async signOffShift(note) {
      const shift = get().reports.shift;
      if (!shift) return;
      patch({ shiftBusy: true });
      try {
        await api.invoke('reports:shift-sign-off', { from: shift.from, to: shift.to, note: note.trim() || undefined });
        await loadShift();
      } catch (e) {
        patch({ shiftError: errorMessage(e) });
      } finally {
        patch({ shiftBusy: false });
      }
    },
    loadSchedules,
    async saveSchedule(s) {
      try {
        await api.invoke('reports:schedule-save', s);
        await loadSchedules();
        return true;
      } catch (e) {
        patch({ schedulesError: errorMessage(e) });
        return false;
      }
    },
    async removeSchedule(id) {
      try {
        await api.invoke('reports:schedule-remove', { id });
        await loadSchedules();
      } catch (e) {
        patch({ schedulesError: errorMessage(e) });
      }
    },
    async loadReportFolders() {
      try {
        const folders = await api.invoke('reports:folders', {});
        const current = get().reports.exportFolder;
        patch({ folders, foldersError: null, exportFolder: current && folders.folders.includes(current) ? current : null });
      } catch (e) {
        patch({ foldersError: errorMessage(e) });
      }
    },
    setExportFolder(folder) {
      patch({ exportFolder: folder });
    },
    async saveReportFolders(list) {
      try {
        patch({ folders: await api.invoke('reports:folders-set', { folders: list }), foldersError: null });
        return true;
      } catch (e) {
        patch({ foldersError: errorMessage(e) });
        return false;
      }
    },
  };
}
