import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { LedgerRepository, type LedgerEventInput } from '../app/engine/ledger/ledger.repository';
import { nullLogger } from '../app/engine/logging/logger';
import { openDatabase } from '../app/engine/storage/database';
import type { TestSocket } from '../app/server/test-socket.test-support';
import { EventsPage } from './pages/events-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, confirmIfAsked, E2E_ADMIN } from './support/browser';
import { adminApi, createReadyUser } from './support/headless-host';

const session = useAppSession();
const PASSWORD = 'e2e-user-password';
const supervisor = { name: 'sue', password: PASSWORD };
const officer = { name: 'otto', password: PASSWORD };

async function must(api: TestSocket, channel: string, input?: unknown): Promise<unknown> {
  const r = await api.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** Accounts, a camera, voids under the four-eyes rule, and five ledger events of the last minutes (written beside the running host). */
async function prepare(): Promise<{ api: TestSocket; cameraId: string; ids: Record<'reflection' | 'wrongWay' | 'out' | 'car' | 'zone', string> }> {
  const api = await adminApi(session.host);
  for (const [u, role] of [[supervisor, 'supervisor'], [officer, 'officer']] as const) await createReadyUser(session.host, api, u, role);
  await must(api, 'auth:elevate', { channel: 'auth:set-policy', password: E2E_ADMIN.password });
  await must(api, 'auth:set-policy', { idleLockMinutes: 10, fourEyes: ['events:void'] });
  const cameraId = ((await must(api, 'cameras:add', { name: 'Main door', source: '/srv/footage/main-door.mp4', enabled: false })) as { id: string }).id;
  const now = Date.now();
  const cross = (track: number, direction: 'in' | 'out', minutesAgo: number, cls = 'person'): LedgerEventInput => ({
    cameraId, ruleId: 'door', trackId: track, cls, type: 'line.cross', direction, confidence: 0.9, frameMs: now - minutesAgo * 60_000, source: 'live',
  });
  const db = openDatabase({ dataDir: session.host.dataDir, logger: nullLogger });
  try {
    const [reflection, wrongWay, out, car, zone] = new LedgerRepository(db).append([
      cross(11, 'in', 5),
      cross(12, 'in', 4),
      cross(13, 'out', 3),
      cross(14, 'in', 2, 'car'),
      { cameraId, ruleId: 'lobby', trackId: 15, cls: 'person', type: 'zone.enter', confidence: 0.9, frameMs: now - 60_000, source: 'live' },
    ]);
    return { api, cameraId, ids: { reflection: reflection!.id, wrongWay: wrongWay!.id, out: out!.id, car: car!.id, zone: zone!.id } };
  } finally {
    db.close();
  }
}

const row = (page: Page, id: string) => page.locator(`[data-testid=event-row][data-event-id="${id}"]`);
const rowText = async (page: Page, id: string) => (await row(page, id).textContent()) ?? '';

describe('voiding and correcting ledger events in the Events page (headless host + Chromium)', () => {
  it('an officer sees the controls disabled; a supervisor voids one row (four-eyes) and corrects another (password); the list marks both and totals follow', async () => {
    const { api, cameraId, ids } = await prepare();
    const doorTotals = async () => ((await must(api, 'counts:totals', { cameraId })) as Array<{ ruleId: string; in: number; out: number }>).find((r) => r.ruleId === 'door');
    expect(await doorTotals()).toMatchObject({ in: 3, out: 1 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });

    // Officer: the buttons are there but disabled, and say why on hover.
    const officerPage = await session.openApp(undefined, officer);
    await new EventsPage(officerPage).open();
    await row(officerPage, ids.reflection).click();
    const officerVoid = officerPage.locator('[data-testid=amend-void]');
    await officerVoid.waitFor();
    expect(await officerVoid.isDisabled()).toBe(true);
    expect(await officerPage.locator('[data-testid=amend-correct]').isDisabled()).toBe(true);
    expect(await officerVoid.getAttribute('title')).toBe('Only a supervisor can void or correct events.');
    expect(await officerPage.textContent('[data-testid=amend-not-allowed]')).toBe('Only a supervisor can void or correct events.');
    await officerPage.screenshot({ path: path.join(ARTIFACTS, 'events-amend-officer.png') });
    await officerPage.close();

    const page = await session.openApp(undefined, supervisor);
    const events = new EventsPage(page);
    await events.open();
    await row(page, ids.reflection).waitFor();

    // Void: reason, then the confirmation dialog asks for a second person (the policy says so for voids).
    await row(page, ids.reflection).click();
    await page.click('[data-testid=amend-void]');
    await page.fill('[data-testid=amend-reason]', 'Reflection in the glass door');
    await page.screenshot({ path: path.join(ARTIFACTS, 'events-amend-void-form.png') });
    await page.click('[data-testid=amend-submit]');
    await page.locator('[data-testid=confirm-dialog][data-kind=four-eyes]').waitFor();
    await confirmIfAsked(page, supervisor.password, E2E_ADMIN);
    await page.locator(`[data-testid=event-row][data-event-id="${ids.reflection}"][data-voided=true]`).waitFor();
    expect(await rowText(page, ids.reflection)).toContain('Voided by sue: Reflection in the glass door');
    expect(await page.textContent('[data-testid=amend-voided]')).toMatch(/^Voided by sue\d{4}-\d\d-\d\d \d\d:\d\d:\d\dReflection in the glass door$/);
    expect(await page.locator('[data-testid=amend-void]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=amend-void]').getAttribute('title')).toBe('Voided events cannot be changed.');

    // Correct: direction in → out and object person → bicycle, with the password.
    await row(page, ids.wrongWay).click();
    await page.click('[data-testid=amend-correct]');
    expect(await page.locator('[data-testid=amend-submit]').isDisabled()).toBe(true); // nothing changed yet
    await page.selectOption('[data-testid=amend-direction]', 'out');
    await page.fill('[data-testid=amend-class]', 'bicycle');
    await page.fill('[data-testid=amend-reason]', 'Cyclist pushing the bike out; tracker flipped');
    await page.screenshot({ path: path.join(ARTIFACTS, 'events-amend-correct-form.png') });
    await page.click('[data-testid=amend-submit]');
    await page.locator('[data-testid=confirm-dialog][data-kind=password]').waitFor();
    await confirmIfAsked(page, supervisor.password);
    await page.locator(`[data-testid=event-row][data-event-id="${ids.wrongWay}"][data-corrected=true]`).waitFor();
    const corrected = await rowText(page, ids.wrongWay);
    expect(corrected).toContain('out (was in)');
    expect(corrected).toContain('bicycle (was person)');
    expect(corrected).toContain('Corrected by sue: Cyclist pushing the bike out; tracker flipped');

    // Totals follow: one "in" voided, one "in" now "out".
    expect(await doorTotals()).toMatchObject({ in: 1, out: 2 });

    // The marks come from the host: after a reload the list shows them again.
    await page.reload();
    await page.waitForSelector('[data-testid=connection-status][data-state=open]', { timeout: 30_000 });
    await events.open();
    await page.locator(`[data-testid=event-row][data-event-id="${ids.reflection}"][data-voided=true]`).waitFor();
    await page.locator(`[data-testid=event-row][data-event-id="${ids.wrongWay}"][data-corrected=true]`).waitFor();
    expect(await rowText(page, ids.reflection)).toContain('Voided by sue: Reflection in the glass door');
    expect(await rowText(page, ids.wrongWay)).toContain('bicycle (was person)');
    expect(await rowText(page, ids.out)).not.toMatch(/Voided|Corrected/);
    await row(page, ids.wrongWay).click();
    await page.locator('[data-testid=amend-corrected]').waitFor();
    expect(await page.textContent('[data-testid=amend-corrected]')).toContain('Direction: out (was in) · Object: bicycle (was person)');
    await page.screenshot({ path: path.join(ARTIFACTS, 'events-amend.png') });

    api.close();
    expect(session.pageErrors).toEqual([]);
  });
});
