import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { nullLogger } from '../logging/logger';
import { DB_FILE, migrate, openDatabase } from '../storage/database';
import { migrations } from '../storage/migrations';
import { SECRET_KEY_FILE } from '../storage/key-file-secret-box';
import { asRole, createUser, setupAdmin, signIn, TEST_PASSWORD } from './as-role.test-support';
import { authTestEngine } from './engine-auth.test-support';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from './password-hash';
import { throttleDelayMs } from './auth.service';
import { UsersRepository } from './users.repository';

const tmp = tempDirs('wr-auth-m20-');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
function engine(clock?: { now: number }) {
  const t = authTestEngine(clock ? { clock } : {});
  cleanups.push(t.done);
  return t;
}
const reason = (r: { ok: boolean; error?: { details?: unknown } }) => (r.error?.details as { reason?: string } | undefined)?.reason;
const actions = async (e: ReturnType<typeof engine>['engine']) => {
  const r = await e.dispatch('audit:list', { limit: 500 }, asRole('admin', 'auditor'));
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return (r.value as { action: string; actor: string; target: string | null; detail: unknown }[]).reverse();
};

describe('passwords', () => {
  it('hashes with scrypt, its parameters recorded, salted per hash', async () => {
    const a = await hashPassword('a long password', DEFAULT_SCRYPT);
    const b = await hashPassword('a long password', DEFAULT_SCRYPT);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('a long password', a)).toBe(true);
    expect(await verifyPassword('a long passworD', a)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
});

describe('first run, sessions and the audit trail', () => {
  it('has no default account: setup once, then sign-in; logout ends the session everywhere', async () => {
    const { engine: e } = engine();
    expect(await e.dispatch('auth:status', undefined, { peer: 'p1' })).toMatchObject({ ok: true, value: { needsSetup: true, user: null } });
    expect(await e.dispatch('auth:login', { name: 'admin', password: 'admin' }, { peer: 'p1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await e.dispatch('auth:setup', { name: 'boss', password: 'short' }, { peer: 'p1' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    await setupAdmin(e, 'admin', 'boss');
    expect(await e.dispatch('auth:setup', { name: 'eve', password: TEST_PASSWORD }, { peer: 'p2' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const session = await signIn(e, 'p1', 'BOSS');
    expect(await e.dispatch('cameras:list', undefined, { peer: 'p1' })).toEqual({ ok: true, value: [] });
    // A reloaded window re-attaches with its handle; a stranger's made-up handle does not work.
    expect(await e.dispatch('auth:resume', { session }, { peer: 'p1-reloaded' })).toMatchObject({ ok: true, value: { name: 'boss', role: 'admin' } });
    expect(await e.dispatch('auth:resume', { session: 'A'.repeat(43) }, { peer: 'p3' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await e.dispatch('auth:logout', undefined, { peer: 'p1' })).toEqual({ ok: true, value: { ok: true } });
    for (const peer of ['p1', 'p1-reloaded']) expect(reason(await e.dispatch('cameras:list', undefined, { peer }))).toBe('signed-out');
    expect(await e.dispatch('auth:resume', { session }, { peer: 'p4' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const rows = await actions(e);
    expect(rows.map((r) => r.action)).toEqual(['auth.login-failed', 'users.setup-admin', 'auth.login', 'auth.login', 'auth.logout']);
  });

  it('throttles sign-in with growing delays, per name', async () => {
    expect([1, 2, 3, 4, 5, 6].map(throttleDelayMs)).toEqual([0, 0, 2000, 4000, 8000, 16000]);
    const clock = { now: 1_000_000 };
    const { engine: e } = engine(clock);
    await setupAdmin(e, 'admin', 'boss');
    const login = (password: string) => e.dispatch('auth:login', { name: 'boss', password }, { peer: 'p' });
    for (let i = 0; i < 3; i++) expect(await login('wrong password')).toMatchObject({ ok: false, error: { message: 'Wrong name or password.' } });
    // Inside the delay even the right password is refused without being checked.
    expect(await login(TEST_PASSWORD)).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Too many failed attempts: try again in 2 s.' } });
    clock.now += 2001;
    expect(await login('wrong again')).toMatchObject({ ok: false, error: { message: 'Wrong name or password.' } });
    expect(await login(TEST_PASSWORD)).toMatchObject({ ok: false, error: { message: 'Too many failed attempts: try again in 4 s.' } });
    clock.now += 4001;
    expect(await login(TEST_PASSWORD)).toMatchObject({ ok: true });
    const failed = (await actions(e)).filter((r) => r.action === 'auth.login-failed');
    expect(failed).toHaveLength(4);
    expect(failed[0]).toMatchObject({ actor: 'system', target: 'boss' });
  });

  it('locks an idle session: live view keeps answering, everything else waits for the password', async () => {
    const clock = { now: 1_000_000 };
    const { engine: e } = engine(clock);
    await setupAdmin(e, 'admin', 'boss');
    await createUser(e, 'admin', 'olga', 'officer');
    await signIn(e, 'p', 'olga');
    expect(await e.dispatch('events:list', {}, { peer: 'p' })).toMatchObject({ ok: true });
    clock.now += 10 * 60_000 + 1; // the default policy: 10 minutes
    expect(await e.dispatch('auth:status', undefined, { peer: 'p' })).toMatchObject({ ok: true, value: { locked: true, user: { name: 'olga' } } });
    expect(reason(await e.dispatch('events:list', {}, { peer: 'p' }))).toBe('locked');
    expect(await e.dispatch('cameras:list', undefined, { peer: 'p' })).toMatchObject({ ok: true }); // the live view
    expect(await e.dispatch('auth:unlock', { password: 'not it at all' }, { peer: 'p' })).toMatchObject({ ok: false, error: { message: 'Wrong name or password.' } });
    expect(await e.dispatch('auth:unlock', { password: TEST_PASSWORD }, { peer: 'p' })).toMatchObject({ ok: true });
    expect(await e.dispatch('events:list', {}, { peer: 'p' })).toMatchObject({ ok: true });
    expect(await e.dispatch('auth:lock', undefined, { peer: 'p' })).toMatchObject({ ok: true });
    expect(reason(await e.dispatch('events:list', {}, { peer: 'p' }))).toBe('locked');
    const rows = (await actions(e)).filter((r) => r.target === 'olga').map((r) => r.action);
    // createUser's first sign-in (choosing the own password) comes first.
    expect(rows).toEqual(['auth.login', 'auth.password-changed', 'auth.logout', 'auth.login', 'auth.lock', 'auth.unlock-failed', 'auth.unlock', 'auth.lock']);
  });

  it('asks for the password again for sensitive actions, and a second user under the four-eyes rule', async () => {
    const { engine: e } = engine();
    await setupAdmin(e, 'admin', 'boss');
    await createUser(e, 'admin', 'sam', 'supervisor');
    await createUser(e, 'admin', 'olga', 'officer');
    await createUser(e, 'admin', 'ada', 'admin');
    // Without confirmation: refused, nothing created.
    const create = () => e.dispatch('users:create', { name: 'vic', role: 'viewer', password: TEST_PASSWORD }, { peer: 'admin' });
    expect(await create()).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'confirm', confirm: 'password' } } });
    expect(await e.dispatch('auth:elevate', { channel: 'users:create', password: 'wrong password' }, { peer: 'admin' })).toMatchObject({ ok: false });
    // Policy: user changes need a second admin.
    expect(await e.dispatch('auth:elevate', { channel: 'auth:set-policy', password: TEST_PASSWORD }, { peer: 'admin' })).toMatchObject({ ok: true });
    expect(await e.dispatch('auth:set-policy', { idleLockMinutes: 10, fourEyes: ['users:create', 'cameras:list'] }, { peer: 'admin' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await e.dispatch('auth:elevate', { channel: 'auth:set-policy', password: TEST_PASSWORD }, { peer: 'admin' })).toMatchObject({ ok: true });
    expect(await e.dispatch('auth:set-policy', { idleLockMinutes: 10, fourEyes: ['users:create', 'events:void'] }, { peer: 'admin' })).toMatchObject({ ok: true });
    expect(await e.dispatch('auth:elevate', { channel: 'users:create', password: TEST_PASSWORD }, { peer: 'admin' })).toMatchObject({ ok: false, error: { details: { confirm: 'four-eyes' } } });
    expect(await e.dispatch('auth:elevate', { channel: 'users:create', password: TEST_PASSWORD, approver: { name: 'boss', password: TEST_PASSWORD } }, { peer: 'admin' })).toMatchObject({ ok: false, error: { message: 'The approver must be another user.' } });
    expect(await e.dispatch('auth:elevate', { channel: 'users:create', password: TEST_PASSWORD, approver: { name: 'olga', password: TEST_PASSWORD } }, { peer: 'admin' })).toMatchObject({ ok: false, error: { message: 'olga (officer) may not approve this action.' } });
    expect(await e.dispatch('auth:elevate', { channel: 'users:create', password: TEST_PASSWORD, approver: { name: 'ada', password: TEST_PASSWORD } }, { peer: 'admin' })).toMatchObject({ ok: true });
    expect(await create()).toMatchObject({ ok: true, value: { name: 'vic', role: 'viewer' } });
    expect(await create()).toMatchObject({ ok: false, error: { details: { reason: 'confirm' } } }); // one confirmation, one action
    const rows = await actions(e);
    expect(rows.find((r) => r.action === 'users:create' && JSON.stringify(r.detail).includes('"vic"'))).toMatchObject({ actor: 'boss', detail: { approver: 'ada', input: { name: 'vic', role: 'viewer', password: '[redacted]' } } });
    expect(rows.find((r) => r.action === 'auth.approved')).toMatchObject({ actor: 'boss', target: 'users:create', detail: { approver: 'ada' } });
  });

  it('audits state changes with who did it, and keeps camera credentials encrypted and away from the renderer', async () => {
    const { engine: e, dir } = engine();
    await setupAdmin(e, 'admin', 'boss');
    const added = await e.dispatch('cameras:add', { name: 'Gate', source: 'rtsp://cam:s3cret-pw@10.0.0.9/live', enabled: false }, { peer: 'admin' });
    expect(added).toMatchObject({ ok: true });
    expect(JSON.stringify(added)).not.toContain('s3cret-pw');
    expect(JSON.stringify(await e.dispatch('cameras:list', undefined, { peer: 'admin' }))).not.toContain('s3cret-pw');
    const rows = await actions(e);
    const row = rows.find((r) => r.action === 'cameras:add')!;
    expect(row).toMatchObject({ actor: 'boss', target: (added as { value: { id: string } }).value.id });
    expect(JSON.stringify(rows)).not.toContain('s3cret-pw');
    const key = fs.statSync(path.join(dir, SECRET_KEY_FILE));
    expect(key.mode & 0o777).toBe(0o600);
    const db = new Database(path.join(dir, DB_FILE), { readonly: true });
    const raw = db.prepare('SELECT source FROM cameras').get() as { source: string };
    db.close();
    expect(raw.source).toMatch(/^aesgcm1:/);
    expect(raw.source).not.toContain('s3cret');
    expect(await e.dispatch('audit:verify', undefined, { peer: 'admin' })).toMatchObject({ ok: true, value: { state: 'intact' } });
  });
});

describe('migration 20 (first password)', () => {
  it('keeps the accounts of an older database as they were: nobody is sent to change a password they chose', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger, migrations: migrations.filter((m) => m.version < 20) });
    try {
      db.prepare(`INSERT INTO users (id, name, role, password_hash, disabled, created_at, updated_at) VALUES ('01J00000000000000000000000', 'old', 'officer', 'scrypt$x', 0, 'a', 'a')`).run();
      expect(migrate(db, migrations.filter((m) => m.version <= 20))).toEqual([20]);
      const users = new UsersRepository(db);
      expect(users.get('01J00000000000000000000000')).toMatchObject({ name: 'old', mustChangePassword: false });
      expect(users.insert('new', 'viewer', 'scrypt$y', true)).toMatchObject({ mustChangePassword: true });
    } finally {
      db.close();
    }
  });
});
