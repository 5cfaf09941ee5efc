import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../engine/auth/as-role.test-support';
import { startSecurityHost, type SecurityHost } from './security-host.test-support';

/**
 * Security review finding (sessions outliving a password change), through the headless host's WebSocket: changing a password ends the user's other sessions (other
 * windows and handles kept for auth:resume); the window that changed it stays signed in.
 */
let h: SecurityHost;
beforeAll(async () => {
  h = await startSecurityHost();
});
afterAll(() => h?.done());

const NEW_PASSWORD = 'a brand new passphrase';

describe('password change ends the other sessions (B5)', () => {
  it('an old session handle cannot resume; the other windows are signed out; this window stays', async () => {
    const admin = await h.admin();
    const here = await h.user(admin, 'dave', 'officer');
    // Someone else has Dave's old password: signed in elsewhere, and kept that session's handle.
    const elsewhere = await h.open();
    const stolen = ((await h.must(elsewhere, 'auth:login', { name: 'dave', password: TEST_PASSWORD })) as { session: string }).session;
    const second = await h.open();
    expect(await second.invoke('auth:resume', { session: stolen })).toMatchObject({ ok: true });
    // Another user is not touched.
    const erin = await h.user(admin, 'erin', 'officer');

    expect(await here.socket.invoke('auth:change-password', { current: TEST_PASSWORD, next: NEW_PASSWORD })).toMatchObject({ ok: true, value: { ok: true } });

    expect(await here.socket.invoke('events:list', {})).toMatchObject({ ok: true });
    expect(await here.socket.invoke('auth:status')).toMatchObject({ value: { user: { name: 'dave' } } });
    for (const s of [elsewhere, second]) expect(await s.invoke('events:list', {})).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'signed-out' } } });
    const thief = await h.open();
    expect(await thief.invoke('auth:resume', { session: stolen })).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Your session has ended: sign in again.' } });
    expect(await thief.invoke('events:list', {})).toMatchObject({ ok: false, error: { details: { reason: 'signed-out' } } });
    // The window that changed it can still reload (its own handle resumes).
    const reload = await h.open();
    expect(await reload.invoke('auth:resume', { session: here.session })).toMatchObject({ ok: true, value: { name: 'dave' } });
    // The old password is refused, the new one works; Erin is still signed in.
    expect(await thief.invoke('auth:login', { name: 'dave', password: TEST_PASSWORD })).toMatchObject({ ok: false, error: { details: { reason: 'credentials' } } });
    expect(await thief.invoke('auth:login', { name: 'dave', password: NEW_PASSWORD })).toMatchObject({ ok: true });
    expect(await erin.socket.invoke('events:list', {})).toMatchObject({ ok: true });
    // The audit row says how many sessions ended.
    const rows = (await h.must(admin, 'audit:list', { action: 'auth.password-changed' })) as { actor: string; detail: unknown }[];
    expect(rows[0]).toMatchObject({ actor: 'dave', detail: { endedSessions: 1 } });
  });

  it('a wrong current password changes nothing and ends nothing', async () => {
    const admin = await h.open();
    await h.must(admin, 'auth:login', { name: 'admin', password: TEST_PASSWORD });
    const other = await h.open();
    await h.must(other, 'auth:login', { name: 'admin', password: TEST_PASSWORD });
    expect(await admin.invoke('auth:change-password', { current: 'not my password', next: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'credentials' } } });
    expect(await other.invoke('events:list', {})).toMatchObject({ ok: true });
    expect(await other.invoke('auth:login', { name: 'admin', password: TEST_PASSWORD })).toMatchObject({ ok: true });
  });
});
