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
  it('the camera form has a Recording section (records all the time by default; events mode with pre/post-roll; when to record: always or set times of the week, validated), and Settings has Recording storage', async () => {
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

    // When to record: "every day, all day" by default; set times of the week instead (days × from/to).
    const schedule = section.locator('[data-testid=recording-schedule]');
    expect(await schedule.locator('[data-testid=schedule-always]').isChecked()).toBe(true);
    await schedule.locator('[data-testid=schedule-set-times]').check();
    const windows = schedule.locator('[data-testid=schedule-window]');
    expect(await windows.count()).toBe(1);
    // Starts from working hours, Monday to Friday; Friday taken out, longer hours.
    for (const d of [1, 2, 3, 4, 5]) expect(await windows.nth(0).locator(`[data-testid=schedule-day-${d}]`).isChecked()).toBe(true);
    await windows.nth(0).locator('[data-testid=schedule-day-5]').uncheck();
    await windows.nth(0).locator('[data-testid=schedule-from]').fill('07:30');
    await windows.nth(0).locator('[data-testid=schedule-to]').fill('19:00');
    // A second window on Friday and Saturday nights, across midnight.
    await schedule.locator('[data-testid=schedule-add]').click();
    await windows.nth(1).locator('[data-testid=schedule-day-5]').check();
    await windows.nth(1).locator('[data-testid=schedule-day-6]').check();
    await windows.nth(1).locator('[data-testid=schedule-from]').fill('22:00');
    await windows.nth(1).locator('[data-testid=schedule-to]').fill('06:00');
    await windows.nth(1).getByText('ends the next day').waitFor();
    // A window without a day is refused in plain words, and nothing is saved.
    await schedule.locator('[data-testid=schedule-add]').click();
    await section.locator('[data-testid=recording-save]').click();
    await section.locator('[data-testid=recording-message][role=alert]').filter({ hasText: 'Times 3: tick at least one day.' }).waitFor({ timeout: 10_000 });
    await windows.nth(2).locator('[data-testid=schedule-remove]').click();
    await section.locator('[data-testid=recording-save]').click();
    await section.locator('[data-testid=recording-message]').filter({ hasText: 'saved' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=camera-form]').screenshot({ path: path.join(SHOTS, 'camera-form-recording-schedule.png') });

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

    // The schedule was stored: the form, opened again, shows it as saved.
    await cameras.open();
    await cameras.row('Loading bay').locator('[data-testid=camera-edit]').click();
    const again = page.locator('[data-testid=camera-recording] [data-testid=recording-schedule]');
    await again.waitFor({ timeout: 10_000 });
    expect(await again.locator('[data-testid=schedule-set-times]').isChecked()).toBe(true);
    const saved = again.locator('[data-testid=schedule-window]');
    const shown = [];
    for (let i = 0; i < (await saved.count()); i++) {
      const w = saved.nth(i);
      const days = [];
      for (const d of [0, 1, 2, 3, 4, 5, 6]) if (await w.locator(`[data-testid=schedule-day-${d}]`).isChecked()) days.push(d);
      shown.push({ days, from: await w.locator('[data-testid=schedule-from]').inputValue(), to: await w.locator('[data-testid=schedule-to]').inputValue() });
    }
    expect(shown).toEqual([
      { days: [1, 2, 3, 4], from: '07:30', to: '19:00' },
      { days: [5, 6], from: '22:00', to: '06:00' },
    ]);
    // Back to every day, all day.
    await again.locator('[data-testid=schedule-always]').check();
    await page.locator('[data-testid=camera-recording] [data-testid=recording-save]').click();
    await page.locator('[data-testid=camera-recording] [data-testid=recording-message]').filter({ hasText: 'saved' }).waitFor({ timeout: 10_000 });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
