import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelInstallProgress } from '../../shared/ipc/models.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import { fetchVerified } from './model-fetch';
import { idFromFileName, importModel } from './model-import';

export interface ModelInstallerOptions {
  /** The models directory (the registry's). */
  modelsDir: () => string;
  emit: (p: ModelInstallProgress) => void;
  /** After a model was installed (e.g. start detection when none ran). */
  afterInstall?: () => Promise<void>;
  /** Connect/idle timeout of a download, ms. */
  timeoutMs?: number;
}

/**
 * Installs a model an admin fetches from an address in the app, the same way `npm run models` does: the download
 * is hashed while it streams and kept only when its SHA-256 is the one given (fetchVerified), then checked and
 * copied like an imported file (importModel: ONNX Runtime opens it, its inputs and outputs fit a known decoder).
 * Everything happens in a scratch folder inside the models dir that is removed at the end, so a wrong hash, a
 * broken file or a cancelled start leaves nothing behind. One install at a time.
 */
export class ModelInstaller {
  private running: string | null = null;

  constructor(private readonly o: ModelInstallerOptions) {}

  /** Starts fetching; progress goes to `emit`. */
  fetchFromUrl(url: string, sha256: string): { jobId: string; done: Promise<ModelInstallProgress> } {
    if (this.running) throw new AppErrorException('conflict', 'A model is being fetched already. Wait until it has finished.');
    const jobId = crypto.randomUUID();
    this.running = jobId;
    const done = this.run(jobId, url, sha256.toLowerCase()).finally(() => (this.running = null));
    return { jobId, done };
  }

  private async run(jobId: string, url: string, sha256: string): Promise<ModelInstallProgress> {
    const base = { jobId, received: 0, total: null as number | null, modelId: null, message: null };
    const modelsDir = this.o.modelsDir();
    fs.mkdirSync(modelsDir, { recursive: true });
    const scratch = fs.mkdtempSync(path.join(modelsDir, '.fetching-'));
    let last = 0;
    let progress: ModelInstallProgress = { ...base, state: 'running' };
    const emit = (p: ModelInstallProgress) => {
      progress = p;
      this.o.emit(p);
    };
    try {
      emit(progress);
      const name = path.basename(new URL(url).pathname) || 'model.onnx';
      const file = path.join(scratch, name.toLowerCase().endsWith('.onnx') ? name : `${name}.onnx`);
      await fetchVerified(url, file, sha256, {
        timeoutMs: this.o.timeoutMs,
        onProgress: ({ received, total }) => {
          const now = Date.now();
          if (now - last < 100 && received !== total) return;
          last = now;
          emit({ ...progress, state: 'running', received, total });
        },
      });
      emit({ ...progress, state: 'checking' });
      const r = await importModel({ file, modelsDir, id: idFromFileName(file), provenance: `downloaded from ${url} (SHA-256 ${sha256} checked)` });
      await this.o.afterInstall?.().catch(() => undefined);
      const end: ModelInstallProgress = { ...progress, state: 'done', modelId: r.manifest.id };
      emit(end);
      return end;
    } catch (e) {
      const end: ModelInstallProgress = { ...progress, state: 'failed', message: plain(e) };
      emit(end);
      return end;
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}

/** The failure in words an admin can act on. */
function plain(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/SHA-256 mismatch/.test(m)) return `The downloaded file is not the one expected (its SHA-256 differs), so it was deleted. Check the address and the SHA-256 the publisher gives. (${m})`;
  if (/not a loadable ONNX model/.test(m)) return `The file is not an ONNX model ONNX Runtime can open, so it was not installed. (${m})`;
  if (/cannot tell which decoder/.test(m)) return `The model's outputs fit none of the detectors Watchroom knows (YOLOX, Ultralytics YOLO), so it was not installed. (${m})`;
  return m;
}
