import os from 'node:os';
import path from 'node:path';
import { nativeModelsDir } from '../process/app-paths';

/** The per-user data directory (WATCHROOM_DATA_DIR, else the platform's usual application-data folder). */
export function defaultDataDir(): string {
  if (process.env.WATCHROOM_DATA_DIR) return path.resolve(process.env.WATCHROOM_DATA_DIR);
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Watchroom');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'Watchroom');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'watchroom');
}

/** Downloaded and imported models: `--models-dir`, else `<--data-dir>/models`, else `<data dir>/models`. */
export function resolveModelsDir(opts: { modelsDir?: string; dataDir?: string } = {}): string {
  if (opts.modelsDir) return path.resolve(opts.modelsDir);
  return path.join(opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir(), 'models');
}

/** Manifest folders in precedence order (later wins for the same id): shipped native-models, models converted at install (native-models/generated), then the models dir. */
export function manifestDirs(modelsDir: string): string[] {
  return [nativeModelsDir(), path.join(nativeModelsDir(), 'generated'), modelsDir];
}
