import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger';
import { migrations as defaultMigrations, type Migration } from './migrations';
import { createPrivateFile, ensurePrivateDir, tightenPrivateFile } from './private-files';

export type Db = Database.Database;

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** Data directory; the file is `<dataDir>/watchroom.db`. */
  dataDir: string;
  logger: Logger;
  /** Schema steps (tests may pass their own). */
  migrations?: readonly Migration[];
  /** How long a writer waits for a lock before SQLITE_BUSY, ms. */
  busyTimeoutMs?: number;
}

export const DB_FILE = 'watchroom.db';

/**
 * Opens (creating if needed) the database with WAL, foreign keys and a busy timeout, then migrates it. The data
 * directory is 0700 and the database with its `-wal` and `-shm` files 0600 on POSIX (private-files.ts).
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  ensurePrivateDir(options.dataDir);
  const file = path.join(options.dataDir, DB_FILE);
  createPrivateFile(file);
  // Left by an older Watchroom with the umask's mode: SQLite reuses existing files as they are.
  for (const side of [`${file}-wal`, `${file}-shm`, `${file}-journal`]) tightenPrivateFile(side);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    const applied = migrate(db, options.migrations ?? defaultMigrations);
    if (applied.length) options.logger.info('database migrated', { file, applied });
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Applies the steps whose versions are not recorded yet, in order, each in a transaction; returns the versions applied. */
export function migrate(db: Db, steps: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const current = done.size ? Math.max(...done) : 0;
  const known = steps.length ? Math.max(...steps.map((s) => s.version)) : 0;
  if (current > known) {
    throw new Error(`The database was written by a newer Watchroom (schema ${current}, this version knows ${known}). Update Watchroom.`);
  }
  const sorted = [...steps].sort((a, b) => a.version - b.version);
  const insert = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const step of sorted) {
    // Gap-tolerant: a step is applied when its own version is missing, so a number reserved by a parallel
    // branch (e.g. 2) can land after a higher one (3) without being skipped.
    if (done.has(step.version)) continue;
    db.transaction(() => {
      db.exec(step.sql);
      step.run?.(db);
      insert.run(step.version, step.name, new Date().toISOString());
    })();
    applied.push(step.version);
  }
  return applied;
}

/** Size of the write-ahead log in bytes (0 when absent). */
export function walSizeBytes(db: Db): number {
  try {
    return fs.statSync(`${db.name}-wal`).size;
  } catch {
    return 0;
  }
}
