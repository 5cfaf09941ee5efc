import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { openDatabase } from './database';
import { ensurePrivateDir, tightenPrivateFile } from './private-files';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-modes-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('private files (POSIX modes)', () => {
  it('creates the database, its -wal and -shm 0600 in a 0700 folder, whatever the umask', () => {
    const old = process.umask(0o022);
    try {
      const dataDir = path.join(tmp(), 'data');
      const db = openDatabase({ dataDir, logger: nullLogger });
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      expect(modeOf(dataDir)).toBe(0o700);
      for (const f of ['watchroom.db', 'watchroom.db-wal', 'watchroom.db-shm']) expect([f, modeOf(path.join(dataDir, f))]).toEqual([f, 0o600]);
      db.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens what an older version left readable, and never loosens', () => {
    const d = tmp();
    fs.chmodSync(d, 0o755);
    fs.writeFileSync(path.join(d, 'watchroom.db-wal'), '', { mode: 0o644 });
    fs.writeFileSync(path.join(d, 'x'), '', { mode: 0o400 });
    ensurePrivateDir(d);
    tightenPrivateFile(path.join(d, 'watchroom.db-wal'));
    tightenPrivateFile(path.join(d, 'x'));
    tightenPrivateFile(path.join(d, 'missing'));
    expect(modeOf(d)).toBe(0o700);
    expect(modeOf(path.join(d, 'watchroom.db-wal'))).toBe(0o600);
    expect(modeOf(path.join(d, 'x'))).toBe(0o400);
  });

  it('leaves the folder ACL alone on Windows (chmod there only toggles read-only)', () => {
    const d = tmp();
    fs.chmodSync(d, 0o755);
    ensurePrivateDir(d, 'win32');
    expect(modeOf(d)).toBe(0o755);
  });
});
