import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../engine/auth/as-role.test-support';
import { DB_FILE } from '../engine/storage/database';
import { startSecurityHost, type SecurityHost } from './security-host.test-support';
import type { TestSocket } from './test-socket.test-support';

/**
 * Security review finding (throttle bypass, lock-out by a stranger), through the headless host's WebSocket: parallel sign-in attempts cannot skip the throttle, and a
 * stranger failing on purpose cannot keep a user out of their own workstation (device) or locked screen (session).
 */
let h: SecurityHost;
let admin: TestSocket;
beforeAll(async () => {
  h = await startSecurityHost();
  admin = await h.admin();
});
afterAll(() => h?.done());

const auditRows = (action: string, target: string) => {
  const db = new Database(path.join(h.t.dir, DB_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND target = ?').get(action, target) as { n: number }).n;
  } finally {
    db.close();
  }
};
const lastLogin = (name: string) => {
  const db = new Database(path.join(h.t.dir, DB_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT last_login_at AS at FROM users WHERE name = ?').get(name) as { at: string | null }).at;
  } finally {
    db.close();
  }
};

describe('sign-in throttle under attack (B1)', () => {
  it('64 parallel sign-ins for one name: 3 passwords are checked, the right one (last) is refused, nobody is signed in', async () => {
    await h.confirmed(admin, 'users:create', { name: 'bob', role: 'officer', password: TEST_PASSWORD });
    const sockets = await Promise.all(Array.from({ length: 4 }, () => h.open()));
    const attempts = Array.from({ length: 64 }, (_, i) => sockets[i % 4]!.invoke('auth:login', { name: 'bob', password: i === 63 ? TEST_PASSWORD : `wrong-guess-${i}` }));
    const results = await Promise.all(attempts);
    const reasons = results.map((r) => (r.ok ? 'signed-in' : r.error?.details?.reason));
    expect(reasons.filter((r) => r === 'credentials')).toHaveLength(3);
    expect(reasons.filter((r) => r === 'throttled')).toHaveLength(61);
    expect(results[63]).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/Too many failed attempts: try again in \d+ s/) } });
    // No state change beyond the three recorded failures: no session anywhere, no sign-in recorded.
    for (const s of sockets) expect(await s.invoke('auth:status')).toMatchObject({ ok: true, value: { user: null } });
    expect(auditRows('auth.login-failed', 'bob')).toBe(3);
    expect(auditRows('auth.login', 'bob')).toBe(0);
    expect(lastLogin('bob')).toBeNull();
  });

  it('a stranger failing on purpose cannot keep the user out of a device they signed in from, nor out of their locked screen', async () => {
    const carol = await h.user(admin, 'carol', 'supervisor');
    // Carol's screen locks; her browser keeps its device handle.
    expect(await carol.socket.invoke('auth:lock')).toMatchObject({ ok: true });
    const stranger = await h.open();
    for (let i = 0; i < 4; i++) await stranger.invoke('auth:login', { name: 'carol', password: `guess-${i}` });
    // The name is now throttled for everyone without Carol's device handle (a fresh socket, a made-up handle) ...
    const fresh = await h.open();
    expect(await fresh.invoke('auth:login', { name: 'carol', password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { details: { reason: 'throttled' } } });
    expect(await fresh.invoke('auth:login', { name: 'carol', password: TEST_PASSWORD, device: 'A'.repeat(43) })).toMatchObject({ ok: false, error: { details: { reason: 'throttled' } } });
    expect(await fresh.invoke('auth:status')).toMatchObject({ value: { user: null } });
    // ... but Carol unlocks her screen and signs in again from her own browser.
    expect(await carol.socket.invoke('auth:unlock', { password: TEST_PASSWORD })).toMatchObject({ ok: true, value: { name: 'carol' } });
    const again = await h.open();
    expect(await again.invoke('auth:login', { name: 'carol', password: TEST_PASSWORD, device: carol.device })).toMatchObject({ ok: true, value: { user: { name: 'carol' }, device: carol.device } });
    // The stranger is still held up, and guessing from Carol's device is throttled on its own.
    expect(await stranger.invoke('auth:login', { name: 'carol', password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { details: { reason: 'throttled' } } });
  });
});
