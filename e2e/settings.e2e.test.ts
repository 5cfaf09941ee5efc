import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { LivePage } from './pages/live-page';
import { ReportsPage } from './pages/reports-page';
import { RulesEditorPage } from './pages/rules-editor-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';
import { adminApi } from './support/headless-host';

/** Issue 21 item 3: settings an admin changes in the app (site, zone options) and report downloads in the browser host. */
const app = useAppSession();
const { openApp, pageErrors } = app;
/** Screenshots checked by eye (also kept with the other e2e artifacts). */
const SHOTS = process.env.WATCHROOM_SHOTS_DIR ?? path.join(ARTIFACTS, 'settings');

async function shot(page: import('playwright-core').Page, name: string, fullPage = false) {
  for (const dir of [SHOTS, ARTIFACTS]) {
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, name), fullPage });
  }
}

describe('Settings an admin changes in the app, and downloads (headless host + Chromium)', () => {
  it('Settings → Site: name, a time zone found by typing part of a city, three shifts; reports use them', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.click('[data-testid=nav-settings]');
    const site = page.locator('[data-testid=site-settings]');
    await site.locator('[data-testid=site-name]').waitFor({ timeout: 10_000 });
    await site.locator('[data-testid=site-name]').fill('Harbour Point Offices');
    await site.locator('[data-testid=site-zone-search]').fill('berl');
    await site.locator('[data-testid=site-zone]').selectOption('Europe/Berlin');
    await site.locator('[data-testid=site-shift-add]').click();
    const shifts = site.locator('[data-testid=site-shift]');
    await shifts.nth(0).fill('06:00');
    await shifts.nth(1).fill('14:00');
    await shifts.nth(2).fill('22:00');
    await site.locator('[data-testid=site-save]').click();
    await site.locator('[data-testid=site-saved]').waitFor({ timeout: 10_000 });
    await site.scrollIntoViewIfNeeded();
    await shot(page, 'site-settings.png');

    // The same settings drive reports: the name printed on them, the zone, and shifts from 06:00, 14:00, 22:00.
    const api = await adminApi(app.host);
    try {
      const r = await api.invoke('reports:build', { type: 'shift' });
      expect(r.ok, JSON.stringify(r.error)).toBe(true);
      const m = r.value as { site: string; period: { from: number; timeZone: string } };
      expect(m.site).toBe('Harbour Point Offices');
      expect(m.period.timeZone).toBe('Europe/Berlin');
      expect(['06:00', '14:00', '22:00']).toContain(DateTime.fromMillis(m.period.from, { zone: 'Europe/Berlin' }).toFormat('HH:mm'));
    } finally {
      api.close();
    }
    // Saved for good: a new page shows them again.
    const again = await openApp();
    await again.click('[data-testid=nav-settings]');
    await expect.poll(() => again.locator('[data-testid=site-name]').inputValue(), { timeout: 10_000 }).toBe('Harbour Point Offices');
    expect(await again.locator('[data-testid=site-shift]').count()).toBe(3);
    await again.close();
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('rule editor: a zone gets loitering and maximum-occupancy conditions and dwell reporting in words, and they are saved', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 1000 });
    const cameras = new CamerasPage(page);
    await cameras.open();
    const id = await cameras.addCamera({ name: 'Lobby', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 5 });
    const live = new LivePage(page);
    await live.open();
    await live.waitForState(id, 'online');
    const editor = new RulesEditorPage(page);
    await editor.openFromTile(id);
    await editor.drawZone([
      [0.2, 0.2],
      [0.8, 0.2],
      [0.8, 0.8],
    ]);
    await page.click('[data-testid=rule-item][data-rule-id=zone-1]');
    const opts = page.locator('[data-testid=zone-options]');
    await opts.waitFor({ timeout: 10_000 });
    await opts.locator('[data-testid=rule-loiter]').check();
    await opts.locator('[data-testid=rule-loiter-seconds]').fill('45');
    await opts.locator('[data-testid=rule-overcrowd]').check();
    await opts.locator('[data-testid=rule-max-occupancy]').fill('3');
    await opts.locator('[data-testid=rule-overcrowd-seconds]').fill('20');
    await opts.locator('[data-testid=rule-dwell-report]').check();
    await opts.scrollIntoViewIfNeeded();
    await shot(page, 'zone-options.png');
    await editor.save();

    const api = await adminApi(app.host);
    try {
      const r = await api.invoke('rules:get', { cameraId: id });
      const zone = (r.value as { rules: { id: string; loiterSeconds?: number; overcrowd?: unknown; dwellReport?: boolean }[] }).rules.find((x) => x.id === 'zone-1');
      expect(zone).toMatchObject({ loiterSeconds: 45, overcrowd: { maxOccupancy: 3, forSeconds: 20 }, dwellReport: true });
    } finally {
      api.close();
    }
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('Reports: a generated CSV and PDF are downloaded through the host, byte for byte the files written', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 1000 });
    const reports = new ReportsPage(page);
    await reports.open();
    await reports.show('daily', DateTime.now().setZone('Europe/Berlin').minus({ days: 1 }).toISODate()!);
    for (const button of ['export-csv', 'export-pdf'] as const) {
      const done = await reports.export(button);
      expect(done.state).toBe('done');
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('[data-testid=file-download]')]);
      expect(download.suggestedFilename()).toBe(path.basename(done.file));
      const got = await download.path();
      expect(fs.readFileSync(got).equals(fs.readFileSync(done.file)), button).toBe(true);
      await page.locator('[data-testid=file-result]').waitFor({ timeout: 10_000 });
    }
    await page.locator('[data-testid=export-bar]').scrollIntoViewIfNeeded();
    await shot(page, 'report-download.png');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
