import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../test/support/shared-fixtures';
import { AccountsPage, type Credentials } from './pages/accounts-page';
import { CamerasPage } from './pages/cameras-page';
import { LivePage } from './pages/live-page';
import { ARTIFACTS, E2E_ADMIN, ensureBuilt, launchChromium, openApp as openAppIn } from './support/browser';
import { adminApi, createReadyUser, startHeadlessHost, type TestHost } from './support/headless-host';
import type { TestSocket } from '../app/server/test-socket.test-support';

let host: TestHost;
let browser: Browser;
let api: TestSocket;
const pageErrors: string[] = [];
const PASSWORD = 'e2e-user-password';
/** Copies of this file's acceptance screenshots for a quick look (the originals are under artifacts/e2e). */
const SHOTS = '/tmp/accounts-shots';
const users: Record<'viewer' | 'officer' | 'supervisor' | 'admin2', Credentials> = {
  viewer: { name: 'vera', password: PASSWORD },
  officer: { name: 'otto', password: PASSWORD },
  supervisor: { name: 'sue', password: PASSWORD },
  admin2: { name: 'adam', password: PASSWORD },
};
/**
 * The menu each role should see, in menu order, written out from the permission matrix
 * (app/shared/auth/permissions.ts) and each page's channel (PAGE_CHANNEL in
 * app/renderer/src/store/auth/auth.selectors.ts): live cameras:list (viewer); alarms alarms:list, events
 * events:list, reports reports:book-list, health health:get, models models:list (officer); audit audit:list,
 * watchlist faces:list (supervisor); cameras cameras:add, settings retention:get, export export:list, users users:list (admin).
 * Spelled out rather than computed with the app's own map, so a wrong map fails here.
 */
const MENU = {
  viewer: ['live'],
  officer: ['live', 'alarms', 'events', 'playback', 'reports', 'health', 'models'],
  supervisor: ['live', 'alarms', 'events', 'playback', 'watchlist', 'reports', 'health', 'models', 'audit'],
  admin: ['live', 'alarms', 'events', 'playback', 'watchlist', 'cameras', 'reports', 'health', 'models', 'settings', 'export', 'users', 'audit'],
} as const;
const openApp = (user?: Credentials): Promise<Page> => openAppIn(browser, host.url, pageErrors, user);

async function must(channel: string, input?: unknown): Promise<unknown> {
  const r = await api.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value;
}

beforeAll(async () => {
  ensureBuilt();
  host = await startHeadlessHost();
  browser = await launchChromium();
});
afterAll(async () => {
  api?.close();
  await browser?.close();
  await host?.stop();
});

describe('accounts, roles, lock and confirmations (headless host + Chromium)', () => {
  it('first run asks for the administrator: there is no default account', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.url);
    await page.waitForSelector('[data-testid=auth-setup]');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'auth-setup.png') });
    await page.close();
    // The helper creates the admin through that form.
    const admin = await openApp();
    expect(await new AccountsPage(admin).navItems()).toEqual(MENU.admin);
    await admin.close();
    api = await adminApi(host);
    // Accounts ready to use (their first password already chosen; the next test walks that step in the app).
    for (const [key, u] of Object.entries(users)) await createReadyUser(host, api, u, key === 'admin2' ? 'admin' : (key as 'viewer' | 'officer' | 'supervisor'));
  });

  it('a new user chooses their own password at the first sign-in; an admin resets a forgotten one', async () => {
    const fiona = { name: 'fiona', password: 'fiona picked this herself' };
    const TEMPORARY = 'given by the admin';
    fs.mkdirSync(SHOTS, { recursive: true });
    const shot = async (p: Page, name: string) => {
      await p.screenshot({ path: path.join(ARTIFACTS, name) });
      fs.copyFileSync(path.join(ARTIFACTS, name), path.join(SHOTS, name));
    };
    // The admin creates her account in the app, with a temporary password (confirmed with the admin's own).
    const adminPage = await openApp();
    const admin = new AccountsPage(adminPage);
    await admin.openUsers();
    await admin.fillNewUser(fiona.name, 'officer', TEMPORARY);
    expect(await admin.confirm(E2E_ADMIN.password)).toBeNull();
    await adminPage.waitForSelector('[data-testid=user-row][data-user=fiona] [data-testid=user-must-change]');
    await shot(adminPage, 'accounts-new-user.png');

    // She signs in with it and is sent to "Choose your own password" before anything else.
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.url);
    const her = new AccountsPage(page);
    expect(await her.tryLogin({ name: fiona.name, password: TEMPORARY })).toBeNull();
    await page.waitForSelector('[data-testid=choose-password]');
    expect(await page.textContent('#choose-password-title')).toContain('Choose your own password');
    expect(await page.locator('[data-testid=connection-status]').count()).toBe(0); // the app is not there behind it
    await shot(page, 'accounts-choose-password.png');
    // The policy and the host's answers, in words.
    expect(await her.chooseOwnPassword(TEMPORARY, 'too short')).toBe('The new password needs at least 10 characters.');
    expect(await her.chooseOwnPassword(TEMPORARY, fiona.password, 'something else entirely')).toBe('The passwords differ.');
    expect(await her.chooseOwnPassword('not the temporary one', fiona.password)).toBe('Wrong name or password.');
    await shot(page, 'accounts-choose-password-error.png');
    expect(await her.chooseOwnPassword(TEMPORARY, fiona.password)).toBeNull();
    // She lands on the app, with an officer's menu.
    await page.waitForSelector('[data-testid=connection-status][data-state=open]');
    expect(await her.navItems()).toEqual(MENU.officer);
    await shot(page, 'accounts-first-password-done.png');

    // She forgets it: the admin sets a temporary one (password re-entry); her open window is signed out.
    await admin.setTemporaryPassword(fiona.name, 'another temporary one');
    expect(await admin.waitForConfirm()).toBe('password');
    await shot(adminPage, 'accounts-reset-confirm.png');
    expect(await admin.confirm(E2E_ADMIN.password)).toBeNull();
    await adminPage.waitForSelector('[data-testid=user-reset-done]');
    await adminPage.waitForSelector('[data-testid=user-row][data-user=fiona] [data-testid=user-must-change]');
    await shot(adminPage, 'accounts-reset-done.png');
    await page.click('[data-testid=nav-events]');
    await page.waitForSelector('[data-testid=auth-login]', { timeout: 20_000 });
    // Her old password no longer works; the temporary one leads to "Choose your own password" again.
    expect(await her.tryLogin(fiona)).toBe('Wrong name or password.');
    expect(await her.tryLogin({ name: fiona.name, password: 'another temporary one' })).toBeNull();
    expect(await her.chooseOwnPassword('another temporary one', 'fiona picked a new one')).toBeNull();
    expect(await her.navItems()).toEqual(MENU.officer);
    await page.close();

    // Both are in the audit trail, in words.
    await admin.openAudit();
    expect(await admin.auditRow('users:reset-password', 'fiona')).toContain('Set a temporary password for a user');
    expect(await admin.auditRow('auth.password-changed', 'fiona')).toContain('Password changed');
    await shot(adminPage, 'accounts-audit-reset.png');
    await adminPage.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows each role the screens the matrix allows, and the host refuses the rest', async () => {
    for (const role of ['viewer', 'officer', 'supervisor'] as const) {
      const page = await openApp(users[role]);
      const accounts = new AccountsPage(page);
      expect(await accounts.navItems()).toEqual(MENU[role]);
      expect(await page.getAttribute('[data-testid=user-badge]', 'data-role')).toBe(role);
      // Typing a forbidden page's address shows the host's refusal, not data.
      await page.goto(`${host.url}#/users`);
      await page.waitForSelector('[data-testid=users-error]');
      expect(await page.textContent('[data-testid=users-error]')).toContain('does not allow');
      if (role === 'supervisor') {
        await accounts.openAudit();
        expect(await accounts.auditVerdict()).toBe('intact');
      }
      await accounts.signOut();
      await page.close();
    }
  });

  it('throttles sign-in with growing delays', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    const accounts = new AccountsPage(page);
    for (let i = 0; i < 3; i++) expect(await accounts.tryLogin({ name: 'otto', password: 'not the password' })).toBe('Wrong name or password.');
    // Inside the delay even the right password is refused, with how long to wait.
    expect(await accounts.tryLogin(users.officer)).toMatch(/^Too many failed attempts: try again in \d+ s\.$/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'auth-throttled.png') });
    // After the delay the right password works (bounded: the first delay is 2 s).
    let signedIn = false;
    for (let i = 0; i < 20 && !signedIn; i++) {
      await new Promise((r) => setTimeout(r, 500));
      signedIn = (await accounts.tryLogin(users.officer)) === null;
    }
    expect(signedIn).toBe(true);
    await page.close();
  });

  it('asks for a second person under the four-eyes rule, and audits who approved', async () => {
    await must('auth:elevate', { channel: 'auth:set-policy', password: E2E_ADMIN.password });
    await must('auth:set-policy', { idleLockMinutes: 10, fourEyes: ['users:create'] });
    const page = await openApp();
    const accounts = new AccountsPage(page);
    await accounts.openUsers();
    await accounts.fillNewUser('nina', 'officer', PASSWORD);
    const dialog = await accounts.waitForConfirm();
    expect(dialog).toBe('four-eyes');
    await page.screenshot({ path: path.join(ARTIFACTS, 'auth-four-eyes.png') });
    // The same person cannot approve their own action.
    expect(await accounts.confirm(E2E_ADMIN.password, { name: E2E_ADMIN.name, password: E2E_ADMIN.password })).toBe('The approver must be another user.');
    expect(await accounts.confirm(E2E_ADMIN.password, users.admin2)).toBeNull();
    await page.waitForSelector('[data-testid=user-row][data-user=nina]');
    await accounts.openAudit();
    const row = await accounts.auditRow('users:create', 'nina');
    expect(row).toContain('approved by: adam');
    expect(await accounts.auditVerdict()).toBe('intact');
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit.png') });
    await page.close();
  });

  it('locks an idle screen while the live view keeps running, and unlocks with the password', async () => {
    api ??= await adminApi(host);
    const cam = (await must('cameras:add', { name: 'Lobby', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 3 })) as { id: string };
    const page = await openApp();
    const accounts = new AccountsPage(page);
    // The policy change itself is sensitive: the password is asked again.
    await accounts.openUsers();
    await accounts.setIdleLockMinutes(0.05);
    expect(await accounts.waitForConfirm()).toBe('password');
    expect(await accounts.confirm(E2E_ADMIN.password)).toBeNull();
    await page.waitForSelector('[data-testid=policy-saved]');
    const live = new LivePage(page);
    await live.open();
    const before = await live.waitForPaintedFrames(cam.id, 1, 0, 60_000);
    // No input for 3 s: the lock screen covers the app.
    await page.waitForSelector('[data-testid=lock-screen]', { timeout: 30_000 });
    const locked = await live.waitForPaintedFrames(cam.id, before.paintedFrames + 3, before.paintedFrames, 30_000);
    expect(locked.paintedFrames).toBeGreaterThan(before.paintedFrames);
    await page.screenshot({ path: path.join(ARTIFACTS, 'auth-locked.png') });
    expect(await accounts.unlock('wrong password!')).toBe('Wrong name or password.');
    expect(await accounts.unlock(E2E_ADMIN.password)).toBeNull();
    await page.waitForSelector('[data-testid=lock-screen]', { state: 'detached' });
    // Long idle lock again so the rest of the suite is not locked out.
    await accounts.openUsers();
    await accounts.setIdleLockMinutes(30);
    expect(await accounts.confirm(E2E_ADMIN.password)).toBeNull();
    await page.waitForSelector('[data-testid=policy-saved]');
    // Removing a camera is sensitive too: the page object types the password into the confirm dialog.
    const cameras = new CamerasPage(page);
    await cameras.open();
    await cameras.remove('Lobby');
    await page.close();
    const audit = ((await must('audit:list', { limit: 200 })) as { action: string; actor: string }[]).map((r) => `${r.actor}:${r.action}`);
    expect(audit).toEqual(expect.arrayContaining(['admin:auth.lock', 'admin:auth.unlock', 'system:auth.unlock-failed', 'admin:auth:set-policy', 'admin:cameras:add', 'admin:cameras:remove']));
    expect(pageErrors).toEqual([]);
  });

  it('names the tampered row, in the app and with `npm run audit -- verify`', async () => {
    api ??= await adminApi(host);
    await must('cameras:list');
    const cli = () => spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'node', 'audit.cjs'), 'verify', '--data-dir', host.dataDir], { encoding: 'utf8' });
    expect(cli()).toMatchObject({ status: 0, stdout: expect.stringMatching(/^intact \(\d+ rows\)/) });
    // Someone edits row 2 in the SQLite file behind Watchroom's back.
    const db = new Database(path.join(host.dataDir, 'watchroom.db'));
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'nobody' WHERE id = 2").run();
    db.close();
    expect(cli()).toMatchObject({ status: 1, stdout: expect.stringMatching(/^broken at row 2: /) });
    const page = await openApp();
    const accounts = new AccountsPage(page);
    await accounts.openAudit();
    expect(await accounts.auditVerdict()).toBe('broken');
    expect(await page.getAttribute('[data-testid=audit-verdict]', 'data-broken-id')).toBe('2');
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-broken.png') });
    await page.close();
  });
});
