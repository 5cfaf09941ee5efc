import { errorMessage } from '../../api/api-error';
import { MODEL_UPLOAD_CHUNK_BYTES, type ImportDecoderChoice } from '../../../../shared/ipc/models.contract';
import type { StoreDeps } from '../store-deps';

/** Bytes as base64, in slices (String.fromCharCode takes a bounded number of arguments). */
function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export interface AppActions {
  loadAppInfo(): Promise<void>;
  loadDetection(): Promise<void>;
  loadModels(): Promise<void>;
  /** Chooses the site default detector (null = best by rank). */
  setDefaultModel(id: string | null): Promise<void>;
  /** Starts fetching a model from an address with its SHA-256 (admin); progress arrives as pushes. */
  fetchModelFromUrl(url: string, sha256: string): Promise<void>;
  /**
   * Imports a model file the admin picked (admin): sends it to the host in pieces (the same calls in Electron and
   * the browser), then asks the host to check and install it; progress and the outcome arrive as pushes.
   */
  importModelFile(file: File, decoder: ImportDecoderChoice, licence: string): Promise<void>;
  /** Removes the imported face detector (admin): the watchlist uses the shipped one again. */
  removeImportedFaceDetector(): Promise<void>;
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
      try {
        app({ faceDetector: await api.invoke('models:face-detector') });
      } catch {
        /* the Face detector section stays as it was; the models list shows why the host does not answer */
      }
    },
    async removeImportedFaceDetector() {
      app({ modelsBusy: true, modelsError: null });
      try {
        app({ faceDetector: await api.invoke('models:face-detector-remove'), modelsBusy: false });
      } catch (e) {
        app({ modelsError: errorMessage(e), modelsBusy: false });
      }
    },
    async importModelFile(file, decoder, licence) {
      app({ modelInstallError: null, modelInstallSource: 'file', modelInstall: null });
      let uploadId: string | null = null;
      try {
        ({ uploadId } = await api.invoke('models:upload-begin', { fileName: file.name, size: file.size, decoder, ...(licence.trim() ? { licence: licence.trim() } : {}) }));
        app({ modelInstall: { jobId: uploadId, state: 'running', received: 0, total: file.size, modelId: null, message: null } });
        for (let offset = 0; offset < file.size; offset += MODEL_UPLOAD_CHUNK_BYTES) {
          const bytes = new Uint8Array(await file.slice(offset, offset + MODEL_UPLOAD_CHUNK_BYTES).arrayBuffer());
          await api.invoke('models:upload-chunk', { uploadId, offset, data: toBase64(bytes) });
        }
        await api.invoke('models:upload-finish', { uploadId });
      } catch (e) {
        app({ modelInstallError: errorMessage(e) });
        if (uploadId) await api.invoke('models:upload-cancel', { uploadId }).catch(() => undefined);
      }
    },
    async fetchModelFromUrl(url, sha256) {
      app({ modelInstallError: null, modelInstallSource: 'address' });
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
