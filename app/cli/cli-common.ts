import { manifestDirs, resolveModelsDir } from '../engine/models/models-dir';
import { ModelRegistry } from '../engine/models/model-registry';

/** Shared flags of the model-aware CLIs. */
export const modelDirOptions = {
  /** Downloads/imports folder (default: <data dir>/models). */
  'models-dir': { type: 'string' },
  /** Data dir whose models/ folder is used (default: WATCHROOM_DATA_DIR or the per-user app data folder). */
  'data-dir': { type: 'string' },
} as const;

export function registryFrom(values: { 'models-dir'?: string | boolean; 'data-dir'?: string | boolean }, defaultId?: string): ModelRegistry {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const modelsDir = resolveModelsDir({ modelsDir: str(values['models-dir']), dataDir: str(values['data-dir']) });
  return new ModelRegistry({ dirs: manifestDirs(modelsDir), modelsDir, defaultId: defaultId ?? null });
}

/** Prints an error for people and exits with `code`. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(code);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;
