import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchmarksWholeDecode } from '../app/engine/camera/decode-timing';
import { resolveFfmpeg } from '../app/engine/ffmpeg/resolve-ffmpeg';
import { fixtures } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { HealthPage } from './pages/health-page';
import { LivePage } from './pages/live-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

const CAMERA_NAME = 'Lobby (file)';

const app = useAppSession();
const { openApp, pageErrors } = app;

describe('cameras through the UI (headless host + Chromium)', () => {
  it('adds a file camera, shows it online with advancing video, and keeps it across a host restart', async () => {
    const video = fixtures.video('intel_one_by_one_person.mp4');
    let page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    const live = new LivePage(page);

    // A fresh data dir: no cameras yet; the live view says so.
    await page.waitForSelector('[data-testid=live-empty]', { timeout: 15_000 });

    await cameras.open();
    const id = await cameras.addCamera({ name: CAMERA_NAME, source: video, analysisFps: 5 });
    expect(await cameras.names()).toEqual([CAMERA_NAME]);
    await cameras.waitForState(CAMERA_NAME, 'online');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'cameras.png') });

    await live.open();
    await live.waitForState(id, 'online');
    const first = await live.waitForPaintedFrames(id, 1);
    // The video advances: more frames painted, with newer sequence numbers and presentation times.
    const later = await live.waitForPaintedFrames(id, 5, first.paintedFrames);
    expect(later.lastSeq!).toBeGreaterThan(first.lastSeq!);
    expect(later.lastPts!).not.toBe(first.lastPts);
    // Overlays, when present, are always drawn from the frame they were computed on.
    expect(later.overlayMatches).toBe(later.overlayTotal);

    await page.screenshot({ path: path.join(ARTIFACTS, 'live.png') });

    const health = new HealthPage(page);
    await health.open();
    expect((await health.rows()).length).toBeGreaterThan(0);
    // The running camera's decode latency (ffmpeg's decode time per frame) shows as a number, not the dash (an
    // ffmpeg whose benchmark cannot time the whole decode leaves it absent: the dash stays).
    if (benchmarksWholeDecode(resolveFfmpeg().version)) {
      const decodeMs = await health.waitForCell(`camera:${id}`, 'Decode ms', (text) => /^\d+\.\d$/.test(text));
      expect(Number(decodeMs)).toBeGreaterThan(0);
    } else {
      expect(await health.waitForCell(`camera:${id}`, 'Decode ms', (text) => text.length > 0)).toBe('—');
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'health.png') });
    await page.close();

    // Restart the host on the same data dir: the camera is still configured and comes back online.
    await app.host.restart();
    page = await openApp(app.host.url);
    const cameras2 = new CamerasPage(page);
    await cameras2.open();
    // The list loads after the page opens (the signed-in page's first cameras:list): wait for the row, then compare.
    await cameras2.row(CAMERA_NAME).waitFor({ timeout: 15_000 });
    expect(await cameras2.names()).toEqual([CAMERA_NAME]);
    const live2 = new LivePage(page);
    await live2.open();
    await live2.waitForState(id, 'online');
    await live2.waitForPaintedFrames(id, 2);
    await page.close();

    expect(pageErrors).toEqual([]);
  });

  it('refuses an invalid camera with messages next to the fields', async () => {
    const page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    await cameras.open();
    await page.click('[data-testid=camera-add]');
    await cameras.fillAndSave({ name: 'Bad', source: 'ftp://camera/stream', analysisFps: 99 });
    await page.waitForSelector('[data-testid=error-source]');
    expect(await page.locator('[data-testid=error-analysisFps]').count()).toBe(1);
    expect(await page.locator('[data-testid=camera-row] th:text-is("Bad")').count()).toBe(0);
    await page.close();
  });
});
