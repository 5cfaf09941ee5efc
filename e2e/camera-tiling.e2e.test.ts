import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

const app = useAppSession();
const { openApp, pageErrors } = app;

describe('Cameras -> edit: tiled detection for small or distant people', () => {
  it('is off by default, says what it costs in plain words, and is kept once saved', async () => {
    const page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    await cameras.open();
    await cameras.addCamera({ name: 'Hall', source: fixtures.video('supervision_walking_crowd.mp4'), enabled: false });

    await cameras.row('Hall').locator('[data-testid=camera-edit]').click();
    const form = page.locator('[data-testid=camera-form]');
    const tiling = form.locator('[data-testid=camera-tiling]');
    expect(await tiling.inputValue()).toBe('');
    expect(await form.innerText()).toContain('The normal detection work for this camera.');

    await tiling.selectOption('2x1');
    expect(await form.innerText()).toContain('about 2x the detection work of this camera');
    await form.locator('input[name=tilingWhole]').check();
    expect(await form.innerText()).toContain('about 3x the detection work of this camera');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'camera-tiling.png') });
    await form.locator('[data-testid=camera-save]').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });

    await cameras.row('Hall').locator('[data-testid=camera-edit]').click();
    expect(await page.locator('[data-testid=camera-tiling]').inputValue()).toBe('2x1');
    expect(await page.locator('[data-testid=camera-form] input[name=tilingWhole]').isChecked()).toBe(true);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
