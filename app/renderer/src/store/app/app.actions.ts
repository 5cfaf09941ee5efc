import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';

export interface AppActions {
  loadAppInfo(): Promise<void>;
  loadDetection(): Promise<void>;
  loadModels(): Promise<void>;
  /** Chooses the site default detector (null = best by rank). */
  setDefaultModel(id: string | null): Promise<void>;
}

export function createAppActions({ api, set }: StoreDeps): AppActions {
  const app = (p: Partial<ReturnType<StoreDeps['get']>['app']>) => set((s) => ({ app: { ...s.app, ...p } }));
  const loadDetection = async () => {
    try {
      app({ detection: await api.invoke('models:status') });
    } catch {
      /* the banner stays as it was; health shows the cause */
    }
  };
  return {
    async loadAppInfo() {
      try {
        app({ info: await api.invoke('app:info') });
      } catch {}
    },
    loadDetection,
    async loadModels() {
      try {
        app({ models: await api.invoke('models:list'), modelsError: null });
      } catch (e) {
        app({ modelsError: errorMessage(e) });
      }
    },
    async setDefaultModel(id) {
      app({ modelsBusy: true, modelsError: null });
      try {
        app({ models: await api.invoke('models:set-default', { id }), modelsBusy: false });
        await loadDetection();
      } catch (e) {
        app({ modelsError: errorMessage(e), modelsBusy: false });
      }
    },
  };
}
