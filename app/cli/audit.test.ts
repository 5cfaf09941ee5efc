import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAuditCli } from './audit-command';
import { nullLogger } from '../engine/logging/logger';
import { DB_FILE, openDatabase } from '../engine/storage/database';
import { migrations } from '../engine/storage/migrations';
import { AuditTrail, verifyAuditChain } from '../engine/auth/audit-trail';
import { AUDIT_ANCHOR_FILE, AuditSeal } from '../engine/audit/audit-seal';
import { SECRET_KEY_FILE } from '../engine/storage/key-file-secret-box';
import { testActor } from '../engine/auth/as-role.test-support';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const N = 8;
/** A data dir whose audit trail has N rows (sealed as the engine seals it, unless `sealed` is false: then as a Watchroom before sealing wrote it). */
function trailDir(sealed = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-audit-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger, ...(sealed ? {} : { migrations: migrations.filter((m) => m.version < 11) }) });
  const trail = new AuditTrail(db, undefined, sealed ? AuditSeal.open(dir) : null);
  trail.prepareSeal();
  for (let i = 1; i <= N; i++) trail.record({ actor: testActor(i % 2 ? 'admin' : 'officer'), action: i % 3 ? 'cameras:add' : 'auth.login', target: `t${i}`, detail: { i, password: 'never stored' } });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return dir;
}

/** Opens the file as an attacker would: raw SQLite, with the append-only triggers dropped. */
function tamper(dir: string, sql: (db: Database.Database) => void): void {
  const db = new Database(path.join(dir, DB_FILE));
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  sql(db);
  db.close();
}

const verifyDir = (dir: string) => {
  const out: string[] = [];
  const code = runAuditCli(['verify', '--data-dir', dir, '--json'], (s) => out.push(s), (s) => out.push(s));
  return { code, result: JSON.parse(out.join('')) as { state: string; brokenId?: number } };
};

describe('audit trail', () => {
  it('chains rows, redacts secrets and refuses updates and deletes', () => {
    const dir = trailDir();
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    const trail = new AuditTrail(db, undefined, AuditSeal.open(dir));
    const rows = trail.list({ limit: 100 });
    expect(rows.map((r) => r.id)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(rows.at(-1)!.prevHash).toBe('0'.repeat(64));
    expect(rows[0]!.prevHash).toBe(rows[1]!.hash);
    expect(JSON.stringify(rows)).not.toContain('never stored');
    expect(trail.list({ limit: 100, action: 'auth.' }).every((r) => r.action.startsWith('auth.'))).toBe(true);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/);
    expect(trail.verify()).toEqual({ state: 'intact', rows: N, headId: N });
    db.close();
    expect(verifyDir(dir)).toEqual({ code: 0, result: { state: 'intact', rows: N, headId: N } });
  });

  for (let k = 1; k <= N; k++) {
    it(`reports row ${k} when it is edited, deleted or moved`, () => {
      const edited = trailDir();
      tamper(edited, (db) => db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = ?").run(k));
      expect(verifyDir(edited)).toMatchObject({ code: 1, result: { state: 'broken', brokenId: k, reason: 'hash' } });

      const rehashed = trailDir();
      // Editing the detail and the stored hash together still shows (the next row, or the head, links to the old hash).
      tamper(rehashed, (db) => db.prepare("UPDATE audit_log SET detail = '{}', hash = ? WHERE id = ?").run('f'.repeat(64), k));
      expect(verifyDir(rehashed).result).toMatchObject({ state: 'broken', brokenId: k });

      const deleted = trailDir();
      tamper(deleted, (db) => db.prepare('DELETE FROM audit_log WHERE id = ?').run(k));
      expect(verifyDir(deleted)).toMatchObject({ code: 1, result: { state: 'broken', brokenId: k, reason: 'missing' } });

      // Reordering: row k swaps places with its neighbour (k+1, or k-1 for the last row); the first moved row is reported.
      const other = k < N ? k + 1 : k - 1;
      const reordered = trailDir();
      tamper(reordered, (db) => {
        db.prepare('UPDATE audit_log SET id = -1 WHERE id = ?').run(k);
        db.prepare('UPDATE audit_log SET id = ? WHERE id = ?').run(k, other);
        db.prepare('UPDATE audit_log SET id = ? WHERE id = -1').run(other);
      });
      expect(verifyDir(reordered)).toMatchObject({ code: 1, result: { state: 'broken', brokenId: Math.min(k, other), reason: 'link' } });
    });
  }

  it('notices rows added outside Watchroom and an unreadable data dir', () => {
    const dir = trailDir();
    tamper(dir, (db) => db.prepare("INSERT INTO audit_log (id, at, actor, role, action, target, detail, prev_hash, hash) SELECT 9, at, actor, role, action, target, detail, hash, hash FROM audit_log WHERE id = 8").run());
    const db = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(verifyAuditChain(db)).toMatchObject({ state: 'broken', brokenId: 9 });
    db.close();
    const out: string[] = [];
    expect(runAuditCli(['verify', '--data-dir', path.join(dir, 'nope')], (s) => out.push(s), (s) => out.push(s))).toBe(2);
    expect(runAuditCli(['verify'], (s) => out.push(s), (s) => out.push(s))).toBe(2);
    expect(runAuditCli(['verify', '--data-dir', dir], (s) => out.push(s), (s) => out.push(s))).toBe(1);
    expect(out.at(-1)).toMatch(/^broken at row 9:/);
  });
});

describe('audit trail: the sealed head (a trail cut short shows)', () => {
  /** The attack: drop the delete trigger, delete the newest rows, point audit_head at the new last row. */
  const cutOff = (dir: string, keep: number) =>
    tamper(dir, (db) => {
      db.prepare('DELETE FROM audit_log WHERE id > ?').run(keep);
      db.prepare('UPDATE audit_head SET last_id = id, last_hash = hash FROM (SELECT id, hash FROM audit_log WHERE id = ?)').run(keep);
    });

  it('reports the newest rows cut off and the head re-pointed', () => {
    const dir = trailDir();
    cutOff(dir, 6);
    // The chain alone is consistent again: only the seal shows it.
    const db = new Database(path.join(dir, DB_FILE), { readonly: true });
    expect(verifyAuditChain(db)).toMatchObject({ state: 'intact', headId: 6 });
    db.close();
    const out: string[] = [];
    expect(runAuditCli(['verify', '--data-dir', dir], (s) => out.push(s), (s) => out.push(s))).toBe(1);
    expect(out.join('')).toBe('broken at row 7: Audit rows 7 to 8 are missing: Watchroom had written up to row 8, the trail now ends at row 6 (cut off).\n');
  });

  it('keeps showing it after Watchroom writes on past the cut (the anchor does not follow a trail cut short)', () => {
    const dir = trailDir();
    cutOff(dir, 5);
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    const trail = new AuditTrail(db, undefined, AuditSeal.open(dir));
    trail.prepareSeal();
    for (let i = 0; i < 6; i++) trail.record({ actor: testActor('admin'), action: 'auth.login', target: `again${i}` });
    expect(trail.verify()).toMatchObject({ state: 'broken', brokenId: N, reason: 'seal' });
    db.close();
    expect(verifyDir(dir)).toMatchObject({ code: 1, result: { state: 'broken', brokenId: N, reason: 'seal' } });
  });

  it('still shows it when the anchor file is deleted too, or the head MAC removed', () => {
    const noAnchor = trailDir();
    cutOff(noAnchor, 7);
    fs.rmSync(path.join(noAnchor, AUDIT_ANCHOR_FILE));
    expect(verifyDir(noAnchor)).toMatchObject({ code: 1, result: { state: 'broken', brokenId: 7, reason: 'seal' } });

    const noMac = trailDir();
    cutOff(noMac, 7);
    fs.rmSync(path.join(noMac, AUDIT_ANCHOR_FILE));
    tamper(noMac, (db) => db.exec('UPDATE audit_head SET mac = NULL'));
    expect(verifyDir(noMac)).toMatchObject({ code: 1, result: { state: 'broken', reason: 'seal' } });
    // Starting Watchroom again does not re-seal it: the anchor is gone but the trail was sealed before.
    const db = openDatabase({ dataDir: noMac, logger: nullLogger });
    new AuditTrail(db, undefined, AuditSeal.open(noMac)).prepareSeal();
    db.close();
    expect(verifyDir(noMac)).toMatchObject({ code: 1, result: { state: 'broken', reason: 'seal' } });
  });

  it('shows an older copy of watchroom.db put back in place, a forged anchor and a missing key', () => {
    const dir = trailDir();
    const old = path.join(dir, 'old.db');
    fs.copyFileSync(path.join(dir, DB_FILE), old);
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    const trail = new AuditTrail(db, undefined, AuditSeal.open(dir));
    trail.record({ actor: testActor('admin'), action: 'cameras:remove', target: 't9' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(verifyDir(dir)).toMatchObject({ code: 0, result: { state: 'intact', headId: N + 1 } });
    fs.copyFileSync(old, path.join(dir, DB_FILE));
    expect(verifyDir(dir)).toMatchObject({ code: 1, result: { state: 'broken', brokenId: N + 1, reason: 'missing' } });

    const forged = trailDir();
    const anchor = JSON.parse(fs.readFileSync(path.join(forged, AUDIT_ANCHOR_FILE), 'utf8')) as { id: number };
    fs.writeFileSync(path.join(forged, AUDIT_ANCHOR_FILE), JSON.stringify({ ...anchor, id: 3 }));
    expect(verifyDir(forged)).toMatchObject({ code: 1, result: { state: 'broken', reason: 'seal' } });

    const keyless = trailDir();
    fs.rmSync(path.join(keyless, SECRET_KEY_FILE));
    expect(verifyDir(keyless)).toMatchObject({ code: 1, result: { state: 'broken', reason: 'seal' } });
  });

  it('seals a trail written before sealing existed once, with a row saying so', () => {
    const dir = trailDir(false);
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(verifyDir(dir)).toMatchObject({ code: 1, result: { state: 'broken', reason: 'seal' } });
    const trail = new AuditTrail(db, undefined, AuditSeal.open(dir));
    trail.prepareSeal();
    expect(trail.list({ limit: 1 })[0]).toMatchObject({ id: N + 1, actor: 'system', action: 'audit.head-sealed', detail: { unsealedRows: N } });
    trail.prepareSeal();
    expect(trail.head()).toMatchObject({ id: N + 1 });
    db.close();
    expect(verifyDir(dir)).toMatchObject({ code: 0, result: { state: 'intact', rows: N + 1 } });
  });
});
