import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, startHttpsReceiver, type HttpsReceiver, type TestPki } from '../test/support/export-servers';
import { AlarmsPage } from './pages/alarms-page';
import { CamerasPage } from './pages/cameras-page';
import { ExportPage } from './pages/export-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

let rx: HttpsReceiver;
let pki: TestPki;
beforeAll(async () => {
  pki = makeTestPki();
  rx = await startHttpsReceiver({ pki, bearer: 'right-token' });
});
afterAll(async () => {
  await rx?.close();
});
// registered after the receiver's hooks: starts after it, stops before it
const app = useAppSession();
const { openApp, pageErrors } = app;

describe('export admin page', () => {
  it('adds an HTTPS sink, says plainly when the token is wrong, and shows the fix working', async () => {
    // Export sinks are the administrator's (created on this fresh data dir's first run).
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 900 });
    const ex = new ExportPage(page);
    await ex.open();
    // A bad URL is refused with the schema's message.
    await page.click('[data-testid=export-add]');
    await page.locator('[data-testid=sink-form] input[name=name]').fill('HQ');
    await page.locator('[data-testid=sink-form] input[name=site]').fill('north');
    await page.locator('[data-testid=sink-form] input[name=url]').fill('http://hq.example/ingest');
    await page.locator('[data-testid=sink-save]').click();
    expect(await ex.saveError()).toMatch(/https:\/\//);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await ex.addHttpsSink({ name: 'Head office', site: 'north', url: rx.url, token: 'wrong-token', caPem: pki.caPem });
    expect(await ex.test('Head office')).toMatch(/refused the credentials \(HTTP 401\)/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'export-wrong-token.png') });

    await ex.row('Head office').getByRole('button', { name: 'Edit' }).click();
    await page.locator('[data-testid=sink-form] input[name=secret]').fill('right-token');
    await ex.save();
    expect(await ex.test('Head office')).toMatch(/Connected/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'export.png') });
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('a sink that is down past its backlog threshold is an alarm in the queue: shown by sink, with its figures, no camera', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 900 });
    const ex = new ExportPage(page);
    await ex.open();
    // Nothing listens on port 9: every delivery fails; one waiting event is past the threshold.
    await ex.addHttpsSink({ name: 'Regional office', site: 'north', url: 'https://127.0.0.1:9/ingest', token: 't', caPem: '', backlogAlarmEvents: 1 });
    // Something to export: a camera that cannot connect changes state (camera.status) and raises its own alarm.
    const cameras = new CamerasPage(page);
    await cameras.open();
    await cameras.addCamera({ name: 'Nowhere', source: 'rtsp://127.0.0.1:9/none', analysisFps: 2 });

    const alarms = new AlarmsPage(page);
    await alarms.open();
    // The export maintenance pass judges the backlog every 10 s.
    const id = await alarms.waitForAlarm('[data-kind=system][data-type="system.export-backlog"]', 60_000);
    const item = alarms.item(`[data-alarm-id="${id}"]`);
    expect(await item.getAttribute('data-camera-id')).toBe('');
    expect(await item.locator('[data-testid=alarm-item-place]').innerText()).toBe('Export sink “Regional office”');
    await alarms.select(id);
    const detail = page.locator(`[data-testid=alarm-detail][data-alarm-id="${id}"]`);
    expect(await detail.getAttribute('data-kind')).toBe('system');
    expect(await detail.locator('h2').innerText()).toMatch(/^P3 · Export backlog · Export sink “Regional office”$/);
    expect(Number((await detail.locator('[data-testid=system-alarm-figures-backlog]').innerText()).replace(/\D/g, ''))).toBeGreaterThanOrEqual(1);
    expect(await detail.locator('[data-testid=system-alarm-figures-threshold]').innerText()).toMatch(/older than 15 min or 1 event$/);
    expect(await detail.locator('[data-testid=alarm-snapshot]').count()).toBe(0);
    expect(await detail.locator('[data-testid=alarm-show-live]').count()).toBe(0);
    await page.click('[data-testid=alarm-acknowledge]');
    await alarms.waitForStatus(id, 'acknowledged');
    await page.waitForSelector('[data-testid=alarm-history-entry][data-action=acknowledge]', { timeout: 10_000 });
    expect((await alarms.history()).map((h) => `${h.action}:${h.by}`)).toEqual(['open:system', 'acknowledge:admin']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'export-backlog-alarm.png') });

    // Events review lists its steps as System, placed at the sink.
    await page.click('[data-testid=nav-events]');
    await page.locator('[data-testid=filter-type]').selectOption('system');
    await page.click('[data-testid=filter-apply]');
    const row = page.locator(`[data-testid=event-row][data-kind=alarm]`).first();
    await row.waitFor({ timeout: 15_000 });
    expect(await row.locator('[data-testid=event-row-place]').innerText()).toBe('Export sink “Regional office”');
    await row.click();
    await page.locator('[data-testid=event-system-figures]').waitFor({ timeout: 5_000 });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
