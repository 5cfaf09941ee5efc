import os from 'node:os';
import path from 'node:path';

/** Inputs to the data-directory decision; all optional so tests can pin every one of them. */
export interface DataDirInputs {
  /** Command-line arguments (the `--data-dir DIR` / `--data-dir=DIR` flag wins). */
  argv?: readonly string[];
  /** Environment (WATCHROOM_DATA_DIR, XDG_DATA_HOME, APPDATA). */
  env?: NodeJS.ProcessEnv;
  /** `process.platform`. */
  platform?: NodeJS.Platform;
  /** The user's home directory. */
  home?: string;
}

/** Value of `--data-dir` in argv, if given. */
export function dataDirFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--data-dir') return argv[i + 1];
    if (a.startsWith('--data-dir=')) return a.slice('--data-dir='.length);
  }
  return undefined;
}

/** The per-user data directory of the platform (Linux XDG, Windows %APPDATA%, macOS Application Support). */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'Watchroom');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'Watchroom');
  const xdg = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
  return path.join(xdg, 'watchroom');
}

/** Where Watchroom keeps its database and logs: `--data-dir`, else WATCHROOM_DATA_DIR, else the per-user dir. */
export function resolveDataDir(inputs: DataDirInputs = {}): string {
  const argv = inputs.argv ?? process.argv.slice(2);
  const env = inputs.env ?? process.env;
  const flag = dataDirFlag(argv);
  if (flag) return path.resolve(flag);
  if (env.WATCHROOM_DATA_DIR) return path.resolve(env.WATCHROOM_DATA_DIR);
  return defaultDataDir(inputs.platform ?? process.platform, env, inputs.home ?? os.homedir());
}
