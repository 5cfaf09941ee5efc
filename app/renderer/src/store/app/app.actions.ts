import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';

export interface AppActions {
  loadAppInfo(): Promise<void>;
  loadDetection(): Promise<void>;
  loadModels(): Promise<void>;
  /** Chooses the site default detector (null = best by rank). */
  setDefaultModel(id: string | null): Promise<void>;
  /** Starts fetching a model from an address with its SHA-256 (admin); progress arrives as pushes. */
  fetchModelFromUrl(url: string, sha256: string): Promise<void>;
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
    async fetchModelFromUrl(url, sha256) {
      app({ modelInstallError: null });
      try {
        const { jobId } = await api.invoke('models:fetch-url', { url, sha256 });
        app({ modelInstall: { jobId, state: 'running', received: 0, total: null, modelId: null, message: null } });
      } catch (e) {
        app({ modelInstallError: errorMessage(e) });
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
