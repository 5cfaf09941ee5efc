import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { CameraRepository } from './camera.repository';
import { defaultDataDir, resolveDataDir } from './data-dir';
import { migrate, openDatabase, type Db } from './database';
import { migrations } from './migrations';
import { plaintextSecretBox } from './secret-box';
import { SettingsRepository } from './settings.repository';

const dirs: string[] = [];
const dbs: Db[] = [];
function open(): { db: Db; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-storage-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  return { db, dir };
}
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const cam = { name: 'Door', source: 'rtsp://admin:s3cret@10.0.0.5/stream1', rtspTransport: 'tcp' as const, analysisFps: 10, enabled: true, modelId: null };

describe('database', () => {
  it('opens with WAL and foreign keys and records migrations once', () => {
    const { db, dir } = open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([...migrations].sort((a, b) => a.version - b.version).map((m) => ({ version: m.version })));
    db.close();
    const again = openDatabase({ dataDir: dir, logger: nullLogger });
    dbs.push(again);
    expect(again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
  });

  it('applies a lower version that lands after a higher one (reserved numbers)', () => {
    const { db } = open();
    const base = [{ version: 101, name: 'a', sql: 'CREATE TABLE a (x)' }, { version: 103, name: 'c', sql: 'CREATE TABLE c (x)' }];
    migrate(db, base);
    expect(migrate(db, [...base, { version: 102, name: 'b', sql: 'CREATE TABLE b (x)' }])).toEqual([102]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toEqual({ name: 'b' });
  });

  it('rolls back a failing step and refuses a newer schema', () => {
    const { db } = open();
    expect(() => migrate(db, [{ version: 1, name: 'x', sql: '' }, { version: 2, name: 'bad', sql: 'CREATE TABLE t (a); SELECT nope FROM missing;' }])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    expect(() => migrate(db, [])).toThrow(/newer Watchroom/);
  });
});

describe('CameraRepository', () => {
  it('round-trips a camera, seals the source and enforces unique names', () => {
    const { db } = open();
    const repo = new CameraRepository(db, plaintextSecretBox);
    const rec = repo.insert(cam);
    expect(rec.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(repo.get(rec.id)).toEqual(rec);
    const raw = db.prepare('SELECT source FROM cameras').get() as { source: string };
    expect(raw.source).toBe(plaintextSecretBox.seal(cam.source));
    expect(() => repo.insert({ ...cam, name: 'door' })).toThrow(/already exists/);
    const other = repo.insert({ ...cam, name: 'Yard' });
    expect(() => repo.update(other.id, { ...cam, name: 'Door' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    const upd = repo.update(other.id, { ...cam, name: 'Yard 2', enabled: false });
    expect(upd).toMatchObject({ name: 'Yard 2', enabled: false, createdAt: other.createdAt });
    expect(repo.list().map((c) => c.name)).toEqual(['Door', 'Yard 2']);
    expect(repo.remove(rec.id)).toBe(true);
    expect(repo.remove(rec.id)).toBe(false);
    expect(() => repo.update(rec.id, cam)).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('keeps a camera`s tiled detection (off when not given, or when a stored value is no longer valid)', () => {
    const { db } = open();
    const repo = new CameraRepository(db, plaintextSecretBox);
    const plain = repo.insert(cam);
    expect(repo.get(plain.id)!.detectionTiling).toBeNull();
    const tiling = { columns: 2, rows: 2, overlap: 0.25, wholeFrame: true };
    const tiled = repo.update(plain.id, { ...cam, detectionTiling: tiling });
    expect(repo.get(plain.id)).toEqual(tiled);
    expect(repo.get(plain.id)!.detectionTiling).toEqual(tiling);
    db.prepare('UPDATE cameras SET detection_tiling = ? WHERE id = ?').run('{"columns":9}', plain.id);
    expect(repo.get(plain.id)!.detectionTiling).toBeNull();
  });
});

describe('SettingsRepository', () => {
  it('stores JSON values by key', () => {
    const { db } = open();
    const s = new SettingsRepository(db);
    expect(s.get('a')).toBeUndefined();
    s.set('a', { x: 1 });
    s.set('a', { x: 2 });
    expect(s.get('a')).toEqual({ x: 2 });
    expect(s.delete('a')).toBe(true);
  });
});

describe('data dir', () => {
  it('prefers the flag, then the env, then the platform dir', () => {
    expect(resolveDataDir({ argv: ['--data-dir', '/tmp/x'], env: { WATCHROOM_DATA_DIR: '/tmp/y' } })).toBe('/tmp/x');
    expect(resolveDataDir({ argv: ['--data-dir=/tmp/z'], env: {} })).toBe('/tmp/z');
    expect(resolveDataDir({ argv: [], env: { WATCHROOM_DATA_DIR: '/tmp/y' } })).toBe('/tmp/y');
    expect(defaultDataDir('linux', { XDG_DATA_HOME: '/xdg' }, '/home/u')).toBe('/xdg/watchroom');
    expect(defaultDataDir('linux', {}, '/home/u')).toBe('/home/u/.local/share/watchroom');
    expect(defaultDataDir('darwin', {}, '/Users/u')).toBe('/Users/u/Library/Application Support/Watchroom');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Roaming\\Watchroom');
  });
});
