import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../app/engine/logging/logger';
import { openDatabase } from '../app/engine/storage/database';
import type { TestSocket } from '../app/server/test-socket.test-support';
import { fixtures } from '../test/support/shared-fixtures';
import { AccountsPage } from './pages/accounts-page';
import { CamerasPage } from './pages/cameras-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, confirmIfAsked, E2E_ADMIN } from './support/browser';
import { adminApi, createReadyUser } from './support/headless-host';

const session = useAppSession();
const PASSWORD = 'e2e-user-password';
const supervisor = { name: 'sue', password: PASSWORD };
const officer = { name: 'otto', password: PASSWORD };

async function must<T>(api: TestSocket, channel: string, input?: unknown): Promise<T> {
  const r = await api.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/**
 * Accounts, a camera (not started: the form is what is tested), one person enrolled through the API whose expiry
 * is then moved into the past beside the running host, and the four-eyes rule on enrolment.
 */
async function prepare(): Promise<{ api: TestSocket; cameraId: string; expiredId: string }> {
  const api = await adminApi(session.host);
  for (const [u, role] of [[supervisor, 'supervisor'], [officer, 'officer']] as const) await createReadyUser(session.host, api, u, role);
  const cameraId = (await must<{ id: string }>(api, 'cameras:add', { name: 'Main entrance', source: fixtures.video('intel_one_by_one_person.mp4'), enabled: false })).id;
  const photo = fs.readFileSync(fixtures.faces('identities', 'frl_004_male_white', '1.jpg')).toString('base64');
  await must(api, 'auth:elevate', { channel: 'faces:enrol', password: E2E_ADMIN.password });
  const expiredId = (await must<{ id: string }>(api, 'faces:enrol', { name: 'Former contractor', category: 'other', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), photos: [photo] })).id;
  const db = openDatabase({ dataDir: session.host.dataDir, logger: nullLogger });
  try {
    db.prepare('UPDATE face_watchlist SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 86_400_000).toISOString(), expiredId);
  } finally {
    db.close();
  }
  await must(api, 'auth:elevate', { channel: 'auth:set-policy', password: E2E_ADMIN.password });
  await must(api, 'auth:set-policy', { idleLockMinutes: 10, fourEyes: ['faces:enrol'] });
  return { api, cameraId, expiredId };
}

const row = (page: Page, name: string) => page.locator('[data-testid=watchlist-row]', { has: page.locator(`[data-testid=watchlist-name]:text-is("${name}")`) });

describe('the face watchlist screens (headless host + Chromium)', () => {
  it('a supervisor enrols a person from a photo (four-eyes), a photo without a face is refused by name, expired entries are marked; export, erase, thresholds in words; an officer has no Watchlist', async () => {
    const { api, cameraId, expiredId } = await prepare();
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    // Officer: no Watchlist in the menu, and the page by its address says why instead of listing anyone.
    const officerPage = await session.openApp(undefined, officer);
    expect(await new AccountsPage(officerPage).navItems()).not.toContain('watchlist');
    await officerPage.evaluate('location.hash = "#/watchlist"');
    await officerPage.locator('[data-testid=watchlist-not-allowed]').waitFor();
    expect(await officerPage.locator('[data-testid=watchlist-table]').count()).toBe(0);
    await officerPage.close();

    const page = await session.openApp(undefined, supervisor);
    await page.setViewportSize({ width: 1280, height: 1000 });
    expect(await new AccountsPage(page).navItems()).toContain('watchlist');
    await page.click('[data-testid=nav-watchlist]');
    await row(page, 'Former contractor').waitFor();
    expect(await row(page, 'Former contractor').getAttribute('data-expired')).toBe('true');
    expect(await row(page, 'Former contractor').locator('[data-testid=watchlist-expired]').innerText()).toMatch(/^Expired on \d{4}-\d\d-\d\d: no longer matched$/);

    // Enrol: a good photo, a photo with no face and a file that is not a picture.
    await page.click('[data-testid=watchlist-add]');
    const form = page.locator('[data-testid=enrol-form]');
    await form.locator('[data-testid=enrol-name]').fill('Lisa Example');
    await form.locator('[data-testid=enrol-category]').selectOption('banned');
    const nextYear = `${new Date().getUTCFullYear() + 1}-06-30`;
    await form.locator('[data-testid=enrol-expiry]').fill(nextYear);
    await form.locator('[data-testid=enrol-photos]').setInputFiles([
      { name: 'lisa-1.jpg', mimeType: 'image/jpeg', buffer: fs.readFileSync(fixtures.faces('identities', 'lisa', '1.jpg')) },
      { name: 'kite.jpg', mimeType: 'image/jpeg', buffer: fs.readFileSync(fixtures.image('darknet_kite.jpg')) },
      { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is not a picture') },
    ]);
    await form.locator('[data-testid=enrol-preview]').nth(2).waitFor();
    expect(await form.locator('[data-testid=enrol-preview]').count()).toBe(3);
    expect(await form.locator('[data-testid=enrol-preview]').nth(2).locator('[data-testid=enrol-photo-error]').innerText()).toBe('Not a picture this app can read.');
    // The unreadable file is caught before anything is sent.
    await form.locator('[data-testid=enrol-submit]').click();
    expect(await form.locator('[data-testid=enrol-error]').innerText()).toBe('Photo 3 was refused; nothing was stored. Replace or remove it and try again.');
    await form.locator('[data-testid=enrol-preview]').nth(2).getByRole('button').click();

    // The engine refuses the photo without a usable face: the message stands under photo 2.
    await form.locator('[data-testid=enrol-submit]').click();
    await page.locator('[data-testid=confirm-dialog][data-kind=four-eyes]').waitFor();
    await confirmIfAsked(page, supervisor.password, E2E_ADMIN);
    await form.locator('[data-testid=enrol-preview][data-refused=true]').waitFor({ timeout: 60_000 });
    expect(await form.locator('[data-testid=enrol-error]').innerText()).toBe('Photo 2 was refused; nothing was stored. Replace or remove it and try again.');
    const refused = form.locator('[data-testid=enrol-preview]').nth(1);
    expect(await refused.getAttribute('data-refused')).toBe('true');
    expect(await refused.locator('[data-testid=enrol-photo-error]').innerText()).toMatch(/^Photo 2: (no face found in the photo|the face is not usable: .+)$/);
    expect(await form.locator('[data-testid=enrol-preview]').nth(0).getAttribute('data-refused')).toBe('false');
    await form.screenshot({ path: path.join(ARTIFACTS, 'watchlist-enrol-photo-error.png') });
    expect(await row(page, 'Lisa Example').count()).toBe(0);

    // Without it: enrolled, with the approver named.
    await refused.getByRole('button').click();
    await form.locator('[data-testid=enrol-submit]').click();
    await confirmIfAsked(page, supervisor.password, E2E_ADMIN);
    await row(page, 'Lisa Example').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=watchlist-notice]').innerText()).toBe('Lisa Example is on the watchlist.');
    const lisa = await row(page, 'Lisa Example').innerText();
    expect(lisa).toContain('Enrolled by sue, approved by admin');
    expect(lisa).toContain('Banned visitor');
    expect(lisa).toContain(`Until ${nextYear}`);
    expect(lisa).toContain('1 photo');
    expect(lisa).toContain('No matches decided yet');
    expect(await row(page, 'Lisa Example').getAttribute('data-expired')).toBe('false');

    // Thresholds: the words follow the value typed, whatever the category.
    const banned = page.locator('[data-testid=threshold][data-category=banned]');
    expect(await banned.locator('[data-testid=threshold-words]').innerText()).toBe('0.62: strict, few false matches');
    expect(await page.locator('[data-testid=threshold][data-category=missing-person] [data-testid=threshold-words]').innerText()).toBe('0.58: lenient, finds more, with more false matches to reject');
    await banned.locator('[data-testid=threshold-input]').fill('0.8');
    expect(await banned.locator('[data-testid=threshold-words]').innerText()).toBe('0.80: very strict, almost no false matches but misses more real ones');
    await banned.locator('[data-testid=threshold-save]').click();
    await confirmIfAsked(page, supervisor.password);
    await page.locator('[data-testid=watchlist-notice]').filter({ hasText: 'Banned visitor now needs 0.80' }).waitFor();
    expect((await must<{ thresholds: Record<string, number> }>(api, 'faces:list')).thresholds.banned).toBe(0.8);
    await page.screenshot({ path: path.join(ARTIFACTS, 'watchlist-page.png'), fullPage: true });

    // Export (data-subject access): a JSON download with the entry and its photo.
    await row(page, 'Lisa Example').locator('[data-testid=watchlist-export]').click();
    const [download] = await Promise.all([page.waitForEvent('download'), confirmIfAsked(page, supervisor.password)]);
    expect(download.suggestedFilename()).toMatch(/^watchlist-lisa-example-\d{4}-\d\d-\d\d\.json$/);
    const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { entry: { name: string }; photos: string[]; matches: unknown[] };
    expect(exported.entry.name).toBe('Lisa Example');
    expect(exported.photos).toHaveLength(1);
    expect(exported.matches).toEqual([]);

    // Erase the expired entry (confirmation, then the password).
    await row(page, 'Former contractor').locator('[data-testid=watchlist-erase]').click();
    await row(page, 'Former contractor').locator('[data-testid=watchlist-erase-yes]').click();
    await confirmIfAsked(page, supervisor.password);
    await row(page, 'Former contractor').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=watchlist-notice]').innerText()).toBe('Everything about Former contractor was erased (0 match records).');
    const db = openDatabase({ dataDir: session.host.dataDir, logger: nullLogger });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM face_watchlist WHERE id = ?').get(expiredId)).toEqual({ n: 0 });
      const looks = db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'faces.watchlist.view' AND actor = ?").get('sue') as { n: number };
      expect(looks.n).toBeGreaterThan(0);
    } finally {
      db.close();
    }

    // Remove from the list.
    await row(page, 'Lisa Example').locator('[data-testid=watchlist-remove]').click();
    await row(page, 'Lisa Example').locator('[data-testid=watchlist-remove-yes]').click();
    await confirmIfAsked(page, supervisor.password);
    await page.locator('[data-testid=watchlist-empty]').waitFor();
    await page.close();

    // Admin: the camera's Face matching switch is off; on only through the legal notice; off without it.
    const admin = await session.openApp();
    await admin.setViewportSize({ width: 1280, height: 1000 });
    const cameras = new CamerasPage(admin);
    await cameras.open();
    await cameras.row('Main entrance').locator('[data-testid=camera-edit]').click();
    const faces = admin.locator('[data-testid=camera-faces]');
    const toggle = faces.locator('[data-testid=camera-faces-switch]');
    await toggle.waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    const notice = admin.locator('[data-testid=face-notice-dialog]');
    await notice.waitFor();
    expect(await notice.locator('[data-testid=face-notice-text]').innerText()).toContain('Face matching processes biometric data.');
    expect(await notice.locator('[data-testid=face-notice-confirm]').isDisabled()).toBe(true);
    await notice.locator('[data-testid=face-notice-accept]').check();
    await admin.screenshot({ path: path.join(ARTIFACTS, 'watchlist-camera-legal-notice.png') });
    await notice.locator('[data-testid=face-notice-confirm]').click();
    await confirmIfAsked(admin);
    await faces.locator('[data-testid=camera-faces-message]').filter({ hasText: 'Face matching is on for this camera.' }).waitFor();
    expect(await toggle.isChecked()).toBe(true);
    expect(await must(api, 'faces:camera-get', { cameraId })).toMatchObject({ enabled: true });
    await toggle.click();
    await confirmIfAsked(admin);
    await faces.locator('[data-testid=camera-faces-message]').filter({ hasText: 'Face matching is off for this camera.' }).waitFor();
    expect(await notice.count()).toBe(0);
    expect(await must(api, 'faces:camera-get', { cameraId })).toMatchObject({ enabled: false });
    await admin.close();

    api.close();
    expect(session.pageErrors).toEqual([]);
  });
});
