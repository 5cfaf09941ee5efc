import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelInstallProgress } from '../../shared/ipc/models.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { ModelManifest } from '../../shared/domain/model';
import { importFaceDetector, type ImportedFaceFamily } from '../faces/face-detector-import';
import { sha256File } from './file-hash';
import { checkModelIo } from './model-registry';
import { fetchVerified } from './model-fetch';
import { idFromFileName, importModel, type ImportDecoder } from './model-import';

/** The largest model file an admin may upload from the app (bytes): detectors are tens of MB; this leaves room. */
export const MAX_MODEL_UPLOAD_BYTES = 512 * 1024 * 1024;
/** An upload that receives nothing this long is dropped with its scratch file (the page was closed, the link lost). */
const UPLOAD_IDLE_MS = 60_000;

/** What an uploaded file is: a person detector of a decoder family, or a face detector of a face family. */
export type UploadKind = ImportDecoder | `face-${ImportedFaceFamily}`;

const faceFamily = (k: UploadKind | undefined): ImportedFaceFamily | null => (k === 'face-yunet' ? 'yunet' : k === 'face-ultraface' ? 'ultraface' : null);

/** A model file an admin uploads from the app, streamed into a scratch file chunk by chunk. */
interface Upload {
  id: string;
  scratch: string;
  file: string;
  fd: number;
  fileName: string;
  size: number;
  received: number;
  decoder: UploadKind | undefined;
  licence: string | undefined;
  by: string | undefined;
  idle: NodeJS.Timeout;
  lastEmit: number;
}

export interface UploadStart {
  /** The file's name on the admin's computer (kept in the provenance; its id comes from it). */
  fileName: string;
  size: number;
  /**
   * The person-detector family (undefined: found from the model's outputs), or `face-yunet` / `face-ultraface`:
   * a face detector for the watchlist, which replaces the shipped one.
   */
  decoder?: UploadKind;
  /** The licence as the publisher states it; undefined: "unknown (imported by the site)". */
  licence?: string;
  /** Who uploads it (the provenance names them). */
  by?: string;
}

export interface ModelInstallerOptions {
  /** The models directory (the registry's). */
  modelsDir: () => string;
  emit: (p: ModelInstallProgress) => void;
  /** After a model was installed (e.g. start detection when none ran). */
  afterInstall?: () => Promise<void>;
  /** After a face detector was imported: the face step opens its models again. */
  afterFaceDetectorInstall?: () => Promise<void>;
  /** Connect/idle timeout of a download, ms. */
  timeoutMs?: number;
  /**
   * Manifests still waiting for their file (shipped ones): an imported file whose SHA-256 is one of theirs is
   * installed as that manifest's file, with its own licence and provenance (the publisher's file, not a copy).
   */
  knownManifests?: () => Promise<ModelManifest[]>;
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

  private upload: Upload | null = null;

  constructor(private readonly o: ModelInstallerOptions) {}

  /**
   * Starts an upload of a local model file (Models → Import a model file): the host streams it in with
   * `uploadChunk` into a scratch folder inside the models dir; `finishUpload` checks and installs it like a fetched
   * one. Nothing reaches the models list until the whole file arrived and ONNX Runtime opened it.
   */
  beginUpload(start: UploadStart): { uploadId: string } {
    this.assertIdle();
    if (start.size > MAX_MODEL_UPLOAD_BYTES) {
      throw new AppErrorException('invalid-input', `The file is ${mb(start.size)} MB; a model file may be at most ${mb(MAX_MODEL_UPLOAD_BYTES)} MB.`);
    }
    if (start.size === 0) throw new AppErrorException('invalid-input', 'The file is empty.');
    const modelsDir = this.o.modelsDir();
    fs.mkdirSync(modelsDir, { recursive: true });
    const scratch = fs.mkdtempSync(path.join(modelsDir, '.uploading-'));
    const base = path.basename(start.fileName).replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
    const file = path.join(scratch, base.toLowerCase().endsWith('.onnx') ? base : `${base}.onnx`);
    const id = crypto.randomUUID();
    this.upload = {
      id,
      scratch,
      file,
      fd: fs.openSync(file, 'wx'),
      fileName: path.basename(start.fileName),
      size: start.size,
      received: 0,
      decoder: start.decoder,
      licence: start.licence?.trim() || undefined,
      by: start.by,
      idle: this.idleTimer(id),
      lastEmit: 0,
    };
    this.o.emit(this.uploadProgress(this.upload, 'running'));
    return { uploadId: id };
  }

  /** Appends one chunk at `offset` (the bytes received so far); returns how many bytes have arrived. */
  uploadChunk(uploadId: string, offset: number, data: Buffer): { received: number } {
    const u = this.current(uploadId);
    if (offset !== u.received) {
      this.dropUpload(u, 'The upload went out of step, so it was stopped and nothing was installed. Start it again.');
      throw new AppErrorException('conflict', 'The upload went out of step; start it again.');
    }
    if (u.received + data.length > u.size) {
      this.dropUpload(u, 'More data arrived than the file size announced, so nothing was installed.');
      throw new AppErrorException('invalid-input', 'More data arrived than the file size announced.');
    }
    fs.writeSync(u.fd, data);
    u.received += data.length;
    u.idle.refresh();
    const now = Date.now();
    if (now - u.lastEmit >= 100 || u.received === u.size) {
      u.lastEmit = now;
      this.o.emit(this.uploadProgress(u, 'running'));
    }
    return { received: u.received };
  }

  /** The whole file arrived: checks it (ONNX Runtime, a known detector family) and installs it; progress goes to `emit`. */
  finishUpload(uploadId: string): { jobId: string; done: Promise<ModelInstallProgress> } {
    const u = this.current(uploadId);
    if (u.received !== u.size) {
      const why = `Only ${mb(u.received)} of ${mb(u.size)} MB arrived, so nothing was installed. Start the upload again.`;
      this.dropUpload(u, why);
      throw new AppErrorException('invalid-input', why);
    }
    clearTimeout(u.idle);
    fs.closeSync(u.fd);
    this.upload = null;
    this.running = u.id;
    const when = new Date().toISOString().slice(0, 10);
    const done = (async () => {
      const progress = this.uploadProgress(u, 'checking');
      this.o.emit(progress);
      try {
        const sha = await sha256File(u.file);
        const provenance = `uploaded from the file ${u.fileName}${u.by ? ` by ${u.by}` : ''} on ${when} (SHA-256 ${sha})`;
        const family = faceFamily(u.decoder);
        const known = family ? undefined : (await this.o.knownManifests?.().catch(() => [] as ModelManifest[]))?.find((m) => m.sha256?.toLowerCase() === sha);
        let modelId: string;
        if (family) {
          modelId = (await importFaceDetector({ file: u.file, modelsDir: this.o.modelsDir(), family, provenance, licence: u.licence })).id;
          await this.o.afterFaceDetectorInstall?.().catch(() => undefined);
        } else if (known) modelId = await this.installAs(known, u.file);
        else {
          const decoder = u.decoder === 'yolox' || u.decoder === 'ultralytics' ? u.decoder : undefined;
          modelId = (await importModel({ file: u.file, modelsDir: this.o.modelsDir(), id: idFromFileName(u.fileName), decoder, provenance, licence: u.licence })).manifest.id;
        }
        if (!family) await this.o.afterInstall?.().catch(() => undefined);
        const end: ModelInstallProgress = { ...progress, state: 'done', modelId };
        this.o.emit(end);
        return end;
      } catch (e) {
        const end: ModelInstallProgress = { ...progress, state: 'failed', message: plain(e) };
        this.o.emit(end);
        return end;
      } finally {
        fs.rmSync(u.scratch, { recursive: true, force: true });
      }
    })().finally(() => (this.running = null));
    return { jobId: u.id, done };
  }

  /** Stops an upload and removes what arrived. */
  cancelUpload(uploadId: string): void {
    if (this.upload?.id === uploadId) this.dropUpload(this.upload, 'The upload was cancelled; nothing was installed.');
  }

  /** Drops an unfinished upload (engine stop). */
  dispose(): void {
    if (this.upload) this.dropUpload(this.upload, 'The app stopped during the upload; nothing was installed.');
  }

  /** The publisher's file of a known manifest (same SHA-256): checked like any import, then put where the manifest looks for it. */
  private async installAs(m: ModelManifest, file: string): Promise<string> {
    const target = path.join(this.o.modelsDir(), m.file);
    const tmp = `${target}.importing`;
    fs.copyFileSync(file, tmp);
    try {
      const problem = await checkModelIo(tmp, m);
      if (problem) throw new Error(problem);
      fs.renameSync(tmp, target);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return m.id;
  }

  private assertIdle(): void {
    if (this.running || this.upload) throw new AppErrorException('conflict', 'A model is being installed already. Wait until it has finished.');
  }

  private current(uploadId: string): Upload {
    if (!this.upload || this.upload.id !== uploadId) throw new AppErrorException('not-found', 'This upload is no longer running (it was cancelled or stopped); start it again.');
    return this.upload;
  }

  private idleTimer(id: string): NodeJS.Timeout {
    const t = setTimeout(() => {
      if (this.upload?.id === id) this.dropUpload(this.upload, 'Nothing arrived for a minute, so the upload was stopped and nothing was installed.');
    }, UPLOAD_IDLE_MS);
    t.unref();
    return t;
  }

  private dropUpload(u: Upload, message: string): void {
    clearTimeout(u.idle);
    try {
      fs.closeSync(u.fd);
    } catch {
      /* closed already */
    }
    fs.rmSync(u.scratch, { recursive: true, force: true });
    if (this.upload === u) this.upload = null;
    this.o.emit({ ...this.uploadProgress(u, 'failed'), message });
  }

  private uploadProgress(u: Upload, state: ModelInstallProgress['state']): ModelInstallProgress {
    return { jobId: u.id, state, received: u.received, total: u.size, modelId: null, message: null };
  }

  /** Starts fetching; progress goes to `emit`. */
  fetchFromUrl(url: string, sha256: string): { jobId: string; done: Promise<ModelInstallProgress> } {
    if (this.running || this.upload) throw new AppErrorException('conflict', 'A model is being fetched already. Wait until it has finished.');
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

const mb = (n: number) => (n / 1048576).toFixed(1);

/** The failure in words an admin can act on. */
function plain(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/SHA-256 mismatch/.test(m)) return `The downloaded file is not the one expected (its SHA-256 differs), so it was deleted. Check the address and the SHA-256 the publisher gives. (${m})`;
  if (/not a loadable ONNX model/.test(m)) return `The file is not an ONNX model ONNX Runtime can open, so it was not installed. (${m})`;
  if (/cannot tell which decoder/.test(m)) return `The model's outputs fit none of the detectors Watchroom knows (YOLOX, Ultralytics YOLO), so it was not installed. (${m})`;
  if (/does not fit decoder/.test(m)) return `The model does not fit the kind of detector chosen, so it was not installed. (${m})`;
  if (/is not an? (YuNet|UltraFace) face detector/.test(m)) return `The file is not the kind of face detector chosen, so it was not installed; the face detector in use stays as it was. (${m.replace(/^it /, 'It ')})`;
  return m;
}
