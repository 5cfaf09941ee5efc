import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { LivePage } from './pages/live-page';
import { MasksEditorPage, RetentionSettingsPage } from './pages/privacy-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

const app = useAppSession();
const { openApp, pageErrors } = app;

/** Polls `fn` until it returns true (bounded in count and time). */
async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (let i = 0; i < 1000 && Date.now() < end; i++) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('privacy masks and retention (headless host + Chromium)', () => {
  it('draws a mask in the rule editor, sees it burned into the live picture, lifts and restores it', async () => {
    const page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    await cameras.open();
    const id = await cameras.addCamera({ name: 'Street', source: fixtures.video('intel_face_demographics_walking_preview.mp4'), analysisFps: 5 });
    const live = new LivePage(page);
    await live.open();
    await live.waitForState(id, 'online');

    const editor = new MasksEditorPage(page);
    await editor.openFromTile(id);
    await eventually('a picture', async () => (await editor.pictureStats(0, 0, 0.25, 1)).mean > 40);
    await editor.layer('masks');
    await editor.drawMask([[0, 0], [0.25, 0], [0.25, 1], [0, 1]]);
    expect(await editor.maskIds()).toEqual(['mask-1']);
    await editor.save();
    // The camera burns the saved mask in: the picture under it turns black (read back from the canvas).
    await eventually('the mask burned into the live picture', async () => (await editor.pictureStats(0, 0, 0.25, 1)).max < 30);
    expect((await editor.pictureStats(0.3, 0, 1, 1)).mean).toBeGreaterThan(40);

    await editor.select('mask-1');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'privacy-mask-editor.png') });
    await editor.lift(5, 'identify the courier');
    await eventually('the picture back under the lifted mask', async () => (await editor.pictureStats(0, 0, 0.25, 1)).mean > 40);
    await page.screenshot({ path: path.join(ARTIFACTS, 'privacy-mask-lifted.png') });
    await editor.restore();
    await eventually('the mask burned in again', async () => (await editor.pictureStats(0, 0, 0.25, 1)).max < 30);
    expect(pageErrors).toEqual([]);
  });

  it('sets the retention policy and runs it now, showing what was removed', async () => {
    const page = await openApp(app.host.url);
    const settings = new RetentionSettingsPage(page);
    await settings.open();
    await settings.setDays('snapshotsDays', 30);
    await settings.setDays('reportsDays', null);
    await settings.save();
    const summary = await settings.runNow();
    expect(summary).toMatch(/^Removed \d+ events, \d+ snapshots \([\d.]+ MB\), \d+ tracks, \d+ reports\.$/);
    await page.reload();
    await settings.open();
    expect(await page.locator('[data-testid=retention-snapshotsDays]').inputValue()).toBe('30');
    expect(await page.locator('[data-testid=retention-reportsDays-forever]').isChecked()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'retention-settings.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
