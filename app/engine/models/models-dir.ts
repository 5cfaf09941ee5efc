import path from 'node:path';
import { nativeModelsDir } from '../process/app-paths';
import { resolveDataDir } from '../storage/data-dir';

/**
 * Downloaded and imported models: `--models-dir`, else WATCHROOM_MODELS_DIR (tests), else `<--data-dir>/models`,
 * else `<data dir>/models` (the data dir as storage/data-dir.ts resolves it: WATCHROOM_DATA_DIR, else per-user).
 */
export function resolveModelsDir(opts: { modelsDir?: string; dataDir?: string } = {}, env: NodeJS.ProcessEnv = process.env): string {
  if (opts.modelsDir) return path.resolve(opts.modelsDir);
  if (env.WATCHROOM_MODELS_DIR) return path.resolve(env.WATCHROOM_MODELS_DIR);
  return path.join(opts.dataDir ? path.resolve(opts.dataDir) : resolveDataDir({ argv: [], env }), 'models');
}

/**
 * Manifest folders in precedence order (later wins for the same id): shipped native-models, models converted at
 * install (native-models/generated), then the models dir. `nativeDir` defaults to nativeModelsDir().
 */
export function manifestDirs(modelsDir: string, nativeDir: string = nativeModelsDir()): string[] {
  return [nativeDir, path.join(nativeDir, 'generated'), modelsDir];
}
