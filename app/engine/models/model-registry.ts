import fs from 'node:fs';
import path from 'node:path';
import { ModelManifestSchema, type ModelManifest, type ModelView } from '../../shared/domain/model';
import type { Logger } from '../logging/logger';
import { nullLogger } from '../logging/logger';
import { getDecoder } from '../inference/decoder-registry';
import { checkInput } from '../inference/detector';
import { manifestInputSize } from '../inference/model-input-filter';
import { openOrtSession } from '../inference/ort-session';
import { FileFactCache, sha256File } from './file-hash';

/** One detector manifest found in the model folders, with its file check. */
export interface ModelEntry {
  manifest: ModelManifest;
  manifestPath: string;
  /** Where the ONNX file is (or would be): beside the manifest, else in the models dir. */
  filePath: string;
  status: 'installed' | 'missing' | 'invalid';
  error?: string;
  /** The computed SHA-256 when the file exists. */
  actualSha256?: string;
}

export interface ModelRegistryOptions {
  /** Manifest folders, lowest precedence first (see manifestDirs); a later folder's manifest replaces an earlier one with the same id. */
  dirs: string[];
  /** Downloads/imports folder: a manifest's file is looked up here when it is not beside the manifest. */
  modelsDir: string;
  /** Explicit default model id (site setting); null = best by rank. */
  defaultId?: string | null;
  logger?: Logger;
}

const DECODER_PREFERENCE: Record<string, number> = { yolox: 2, ultralytics: 2, centernet: 0 };

/**
 * Lists detector manifests from the model folders, verifies each file (present, SHA-256, ONNX I/O fits the
 * decoder) and ranks them.
 *
 * Ranking (README "Models"): an explicit site default (setting) wins when it is installed; otherwise the
 * installed model with the highest manifest `rank`; ties go to YOLOX/Ultralytics before converted models
 * (centernet), then by id. Shipped ranks: YOLOX-Nano 100, Ultralytics exports 80-90, converted CenterNet < 50.
 */
export class ModelRegistry {
  private readonly hashes = new FileFactCache<string>();
  private readonly ioChecks = new FileFactCache<string | null>();
  private defaultId: string | null;
  private readonly logger: Logger;

  constructor(private readonly opts: ModelRegistryOptions) {
    this.defaultId = opts.defaultId ?? null;
    this.logger = opts.logger ?? nullLogger;
  }

  get modelsDir(): string {
    return this.opts.modelsDir;
  }

  /** The manifest folders, lowest precedence first (face models are looked up in the same ones). */
  get dirs(): readonly string[] {
    return this.opts.dirs;
  }

  setDefault(id: string | null): void {
    this.defaultId = id;
  }

  /** Every manifest, verified, best first. */
  async list(): Promise<ModelEntry[]> {
    const byId = new Map<string, { manifest: ModelManifest; manifestPath: string } | { bad: string; manifestPath: string }>();
    for (const dir of this.opts.dirs) {
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
        const manifestPath = path.join(dir, f);
        try {
          const json = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as unknown;
          // Face models (face detector, face embedding) sit beside the detectors but are not person detectors.
          if (json && typeof json === 'object' && 'role' in json) continue;
          const manifest = ModelManifestSchema.parse(json);
          byId.set(manifest.id, { manifest, manifestPath });
        } catch (e) {
          const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
          this.logger.warn('unreadable model manifest', { manifestPath, error: msg });
        }
      }
    }
    const entries: ModelEntry[] = [];
    for (const v of byId.values()) if ('manifest' in v) entries.push(await this.verify(v.manifest, v.manifestPath));
    return rankEntries(entries);
  }

  /** The model to run: the explicit default when installed, else the best installed; null when none. */
  async best(): Promise<ModelEntry | null> {
    const all = await this.list();
    const installed = all.filter((e) => e.status === 'installed');
    return installed.find((e) => e.manifest.id === this.defaultId) ?? installed[0] ?? null;
  }

  async views(): Promise<ModelView[]> {
    const all = await this.list();
    const best = await this.best();
    return all.map((e) => toView(e, e.manifest.id === best?.manifest.id));
  }

  /** One model by id; throws an officer-readable error unless it is installed and valid. */
  async require(id: string): Promise<ModelEntry> {
    const e = (await this.list()).find((m) => m.manifest.id === id);
    if (!e) throw new Error(`no model "${id}" (see \`npm run models -- list\`)`);
    if (e.status !== 'installed') throw new Error(`model "${id}" is ${e.status}: ${e.error}`);
    return e;
  }

  /** Verifies one manifest's file: presence, SHA-256, ONNX loadable, I/O fits the decoder. */
  async verify(manifest: ModelManifest, manifestPath: string): Promise<ModelEntry> {
    const beside = path.resolve(path.dirname(manifestPath), manifest.file);
    const inModels = path.resolve(this.opts.modelsDir, manifest.file);
    const filePath = fs.existsSync(beside) ? beside : fs.existsSync(inModels) ? inModels : beside;
    const base = { manifest, manifestPath, filePath };
    if (!fs.existsSync(filePath)) {
      const how = manifest.url ? `import the file on the Models page, or fetch it there from ${manifest.url}` : 'import the file again on the Models page';
      return { ...base, status: 'missing', error: `model file ${manifest.file} is not installed (${how})` };
    }
    try {
      const actualSha256 = await this.hashes.get(filePath, () => sha256File(filePath));
      if (!manifest.sha256) return { ...base, actualSha256, status: 'invalid', error: `no SHA-256 is pinned for ${manifest.file}; import the file again on the Models page` };
      if (actualSha256 !== manifest.sha256) return { ...base, actualSha256, status: 'invalid', error: `SHA-256 mismatch for ${manifest.file}: expected ${manifest.sha256}, the file has ${actualSha256}` };
      const problem = await this.ioChecks.get(filePath, () => checkModelIo(filePath, manifest));
      if (problem) return { ...base, actualSha256, status: 'invalid', error: problem };
      return { ...base, actualSha256, status: 'installed' };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const error = code === 'ENOENT' ? `model file ${manifest.file} vanished while it was being checked` : e instanceof Error ? e.message : String(e);
      return { ...base, status: code === 'ENOENT' ? 'missing' : 'invalid', error };
    }
  }
}

/** Opens the file in ORT (CPU) and checks input name/shape and the decoder's output expectations. */
export async function checkModelIo(file: string, manifest: ModelManifest): Promise<string | null> {
  let opened;
  try {
    opened = await openOrtSession(file, { executionProviders: ['cpu'] });
  } catch (e) {
    return `${manifest.file} is not a loadable ONNX model (corrupt or truncated?): ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    const problem = checkInput(opened.io, manifest) ?? getDecoder(manifest.decoder).validate?.(opened.io, manifest) ?? null;
    return problem ? `${manifest.file} does not fit decoder ${manifest.decoder}: ${problem}` : null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await opened.session.release().catch(() => undefined);
  }
}

export function rankEntries(entries: ModelEntry[]): ModelEntry[] {
  const st = { installed: 0, missing: 1, invalid: 2 } as const;
  return [...entries].sort(
    (a, b) =>
      st[a.status] - st[b.status] ||
      b.manifest.rank - a.manifest.rank ||
      (DECODER_PREFERENCE[b.manifest.decoder] ?? 1) - (DECODER_PREFERENCE[a.manifest.decoder] ?? 1) ||
      a.manifest.id.localeCompare(b.manifest.id),
  );
}

export function toView(e: ModelEntry, isDefault: boolean): ModelView {
  const { width, height } = manifestInputSize(e.manifest);
  return {
    id: e.manifest.id,
    name: e.manifest.name,
    licence: e.manifest.licence,
    provenance: e.manifest.provenance,
    decoder: e.manifest.decoder,
    inputSize: [width, height],
    status: e.status,
    error: e.error,
    isDefault,
    rank: e.manifest.rank,
  };
}
