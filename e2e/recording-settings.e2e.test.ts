import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CamerasPage } from './pages/cameras-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, confirmIfAsked } from './support/browser';
import { fixtures } from '../test/support/shared-fixtures';

const app = useAppSession();
const { openApp, pageErrors } = app;
const SHOTS = process.env.WATCHROOM_SHOTS_DIR ?? ARTIFACTS;

describe('Recording settings, as an admin meets them', () => {
  it('the camera form has a Recording section (records all the time by default; events mode with pre/post-roll), and Settings has Recording storage', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 1100 });
    fs.mkdirSync(SHOTS, { recursive: true });
    const cameras = new CamerasPage(page);
    await cameras.open();
    await cameras.addCamera({ name: 'Loading bay', source: fixtures.video('intel_one_by_one_person.mp4') });
    await cameras.row('Loading bay').locator('[data-testid=camera-edit]').click();
    const section = page.locator('[data-testid=camera-recording]');
    await section.locator('[data-testid=recording-mode]').waitFor({ timeout: 10_000 });
    expect(await section.locator('[data-testid=recording-mode]').inputValue()).toBe('continuous');
    await section.locator('[data-testid=recording-mode]').selectOption('events');
    await section.locator('[data-testid=recording-pre-roll]').fill('15');
    await section.locator('[data-testid=recording-post-roll]').fill('30');
    await section.locator('[data-testid=recording-retention]').fill('14');
    await section.locator('[data-testid=recording-save]').click();
    await section.locator('[data-testid=recording-message]').filter({ hasText: 'saved' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=camera-form]').screenshot({ path: path.join(SHOTS, 'camera-form-recording.png') });

    await page.click('[data-testid=nav-settings]');
    const storage = page.locator('[data-testid=recording-storage]');
    await storage.waitFor({ timeout: 10_000 });
    await storage.locator('[data-testid=recording-quota]').fill('500');
    await storage.locator('[data-testid=recording-floor]').fill('8192');
    await storage.locator('[data-testid=recording-storage-save]').click();
    // Changing the storage limits asks for the password (recordings:storage-set).
    await confirmIfAsked(page);
    await storage.locator('[data-testid=recording-storage-message]').filter({ hasText: 'saved' }).waitFor({ timeout: 10_000 });
    expect(await storage.locator('[data-testid=recording-quota]').inputValue()).toBe('500');
    await storage.screenshot({ path: path.join(SHOTS, 'settings-recording-storage.png') });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
