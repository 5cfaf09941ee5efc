import fs from 'node:fs';

/**
 * File modes of the data directory on POSIX: only the user who runs Watchroom reads its database (password
 * hashes, the audit trail), logs, snapshots and keys. On Windows the per-user application-data folder
 * (`%APPDATA%`) already carries an ACL for that user only; chmod there only toggles read-only, so it is skipped.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const posix = (platform: NodeJS.Platform): boolean => platform !== 'win32';

/** Tightens an existing path to `mode` when group or others have any access to it (POSIX); never loosens. */
function tighten(p: string, mode: number, platform: NodeJS.Platform): void {
  if (!posix(platform)) return;
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  // A symlink is left alone: chmod would follow it to whatever it points at.
  if (st.isSymbolicLink()) return;
  if ((st.mode & 0o077) !== 0) fs.chmodSync(p, mode);
}

/** Creates `dir` (and missing parents) with mode 0700, and tightens it to 0700 when it already exists looser. */
export function ensurePrivateDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  tighten(dir, PRIVATE_DIR_MODE, platform);
}

/** Tightens an existing file to 0600 (POSIX); a missing file is fine. */
export function tightenPrivateFile(file: string, platform: NodeJS.Platform = process.platform): void {
  tighten(file, PRIVATE_FILE_MODE, platform);
}

/**
 * Makes sure `file` exists with mode 0600 before a library opens it (better-sqlite3 would create it 0644 under a
 * usual umask; SQLite then gives its `-wal` and `-shm` files the database file's mode).
 */
export function createPrivateFile(file: string, platform: NodeJS.Platform = process.platform): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenPrivateFile(file, platform);
}
