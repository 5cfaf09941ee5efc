import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { startGstRtspServer, stopAllRtspServers, type RtspServer } from '../test/support/rtsp-server';
import { AlarmsPage } from './pages/alarms-page';
import { CamerasPage } from './pages/cameras-page';
import { LivePage } from './pages/live-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

let rtsp: RtspServer;
beforeAll(async () => {
  rtsp = await startGstRtspServer({ clip: fixtures.video('intel_one_by_one_person.mp4') });
});
afterAll(async () => {
  await stopAllRtspServers();
});
// registered after the RTSP server's hooks: starts after it, stops before it
const app = useAppSession();
const { openApp, pageErrors } = app;

describe('camera health as alarms (RTSP camera stopped and restored)', () => {
  it('stopping the source raises an "offline" alarm; restoring it records the recovery', async () => {
    const page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    await cameras.open();
    const id = await cameras.addCamera({ name: 'Gate (RTSP)', source: rtsp.url(), analysisFps: 5 });
    const live = new LivePage(page);
    await live.open();
    await live.waitForState(id, 'online');

    const alarms = new AlarmsPage(page);
    await alarms.open();
    expect(await alarms.item('[data-type="health.offline"]').count()).toBe(0);
    await rtsp.stop();
    const alarmId = await alarms.waitForAlarm(`[data-type="health.offline"][data-camera-id="${id}"][data-recovered=false]`, 30_000);
    await alarms.select(alarmId);
    expect(await alarms.status(alarmId)).toBe('new');

    await rtsp.restart();
    await page.waitForSelector(`[data-testid=alarm-item][data-alarm-id="${alarmId}"][data-recovered=true]`, { timeout: 90_000 });
    await page.waitForSelector('[data-testid=alarm-history-entry][data-action=recover]', { timeout: 10_000 });
    expect((await alarms.history()).map((h) => h.action)).toEqual(expect.arrayContaining(['open', 'recover']));
    // A health alarm is acknowledged and closed like any other.
    await page.click('[data-testid=alarm-acknowledge]');
    await alarms.waitForStatus(alarmId, 'acknowledged');
    await alarms.close('true-alarm', 'network switch restarted');
    await alarms.waitForStatus(alarmId, 'closed');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'health-alarm.png') });
    expect(pageErrors).toEqual([]);
  });
});
