import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { AlarmsPage } from './pages/alarms-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';
import { adminApi } from './support/headless-host';

const app = useAppSession();
const { openApp, pageErrors } = app;

describe('an alarm from another system (access control, fire panel) in the queue', () => {
  it('appears once with its text and source, even when sent twice, and shows the camera it names', async () => {
    const api = await adminApi(app.host);
    const cam = await api.invoke('cameras:add', { name: 'Loading bay', source: fixtures.video('intel_one_by_one_person.mp4'), enabled: false });
    expect(cam.ok, JSON.stringify(cam.error)).toBe(true);
    const cameraId = (cam.value as { id: string }).id;
    const alarm = { source: 'door-panel', eventId: 'D-4711', priority: 2, text: 'Door 3 forced open', cameraId };
    const first = await api.invoke('integrations:raise-alarm', alarm);
    const again = await api.invoke('integrations:raise-alarm', alarm);
    expect(first.ok && again.ok, JSON.stringify(first.error ?? again.error)).toBe(true);
    api.close();

    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 900 });
    const alarms = new AlarmsPage(page);
    await alarms.open();
    const id = await alarms.waitForAlarm('[data-kind=system]', 30_000);
    expect(await page.locator('[data-kind=system]').count()).toBe(1);
    await alarms.select(id);
    const detail = page.locator(`[data-testid=alarm-detail][data-alarm-id="${id}"]`);
    expect(await detail.locator('[data-testid=system-alarm-figures-text]').innerText()).toBe('Door 3 forced open');
    expect(await detail.locator('[data-testid=system-alarm-figures-source]').innerText()).toBe('door-panel (D-4711)');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'external-alarm.png') });
    // The camera the other system named: one click to its live view.
    await detail.locator('[data-testid=alarm-show-live]').click();
    await page.waitForSelector(`[data-testid=camera-tile][data-camera-id="${cameraId}"]`, { timeout: 10_000 });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
