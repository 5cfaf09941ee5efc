import type { ExportSinkInput } from '../../../../shared/domain/export';
import { errorMessage } from '../../api/api-error';
import { t } from '../../i18n/en';
import { formatTime } from '../../i18n/format-time';
import type { StoreDeps } from '../store-deps';
import type { ExportState } from './export.state';

export interface ExportActions {
  loadExport(): Promise<void>;
  /** Opens the sink form for an id, `new`, or closes it (null). */
  editSink(id: string | null): void;
  /** Saves; true when saved (the form closes). */
  saveSink(input: ExportSinkInput): Promise<boolean>;
  setSinkEnabled(id: string, enabled: boolean): Promise<void>;
  removeSink(id: string): Promise<void>;
  testSink(id: string): Promise<void>;
  showDeadLetters(id: string | null): Promise<void>;
  retryDeadLetters(id: string): Promise<void>;
  replaySink(id: string, fromMs: number): Promise<void>;
}

export function createExportActions({ api, set, get }: StoreDeps): ExportActions {
  const patch = (p: Partial<ExportState> | ((e: ExportState) => Partial<ExportState>)) => set((s) => ({ export: { ...s.export, ...(typeof p === 'function' ? p(s.export) : p) } }));
  const notice = (id: string, text: string) => patch((e) => ({ notices: { ...e.notices, [id]: text } }));
  const loadExport = async () => {
    try {
      const r = await api.invoke('export:list');
      patch({ sinks: r.sinks, outbox: r.outbox, loadError: null });
    } catch (e) {
      patch({ loadError: errorMessage(e) });
    }
  };
  const save = async (input: ExportSinkInput): Promise<boolean> => {
    patch({ busy: true, saveError: null });
    try {
      await api.invoke('export:save', input);
      patch({ busy: false, editing: null });
      await loadExport();
      return true;
    } catch (e) {
      patch({ busy: false, saveError: errorMessage(e) });
      return false;
    }
  };
  return {
    loadExport,
    editSink: (id) => patch({ editing: id, saveError: null }),
    saveSink: save,
    async setSinkEnabled(id, enabled) {
      const v = get().export.sinks?.find((s) => s.id === id);
      if (!v) return;
      try {
        await api.invoke('export:save', { id, name: v.name, enabled, site: v.site, target: v.target, filters: v.filters, tuning: v.tuning });
        await loadExport();
      } catch (e) {
        notice(id, errorMessage(e));
      }
    },
    async removeSink(id) {
      try {
        await api.invoke('export:remove', { id });
        await loadExport();
      } catch (e) {
        notice(id, errorMessage(e));
      }
    },
    async testSink(id) {
      patch((e) => ({ tests: { ...e.tests, [id]: 'running' } }));
      try {
        const r = await api.invoke('export:test', { id });
        patch((e) => ({ tests: { ...e.tests, [id]: r } }));
      } catch (err) {
        patch((e) => ({ tests: { ...e.tests, [id]: { ok: false, message: errorMessage(err) } } }));
      }
    },
    async showDeadLetters(id) {
      if (!id) return patch({ deadLetters: null });
      try {
        const rows = await api.invoke('export:dead-letters', { sinkId: id });
        patch({ deadLetters: { sinkId: id, rows } });
      } catch (e) {
        notice(id, errorMessage(e));
      }
    },
    async retryDeadLetters(id) {
      try {
        const r = await api.invoke('export:retry-dead-letters', { sinkId: id });
        notice(id, t.exportPage.retried(r.queued));
        patch({ deadLetters: null });
        await loadExport();
      } catch (e) {
        notice(id, errorMessage(e));
      }
    },
    async replaySink(id, fromMs) {
      try {
        const r = await api.invoke('export:replay', { sinkId: id, from: fromMs });
        notice(id, t.exportPage.replayed(r.oldestAvailableAt ? formatTime(r.oldestAvailableAt, get().alarms.timeZone) : null));
        await loadExport();
      } catch (e) {
        notice(id, errorMessage(e));
      }
    },
  };
}
