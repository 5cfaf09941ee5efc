import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

const app = useAppSession();
const { openApp, pageErrors } = app;

describe('Cameras -> edit: when to look for people (motion-gated detection)', () => {
  it('is "only when something moves" by default, says why in plain words, and "always" is kept once saved', async () => {
    const page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    await cameras.open();
    await cameras.addCamera({ name: 'Corridor', source: fixtures.video('intel_one_by_one_person.mp4'), enabled: false });

    await cameras.row('Corridor').locator('[data-testid=camera-edit]').click();
    const form = page.locator('[data-testid=camera-form]');
    const motion = form.locator('[data-testid=camera-motion]');
    expect(await motion.inputValue()).toBe('medium');
    expect(await form.innerText()).toContain('When to look for people');
    expect(await form.innerText()).toContain('a quiet camera then costs almost nothing');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'camera-motion-gating.png') });
    await motion.selectOption('off');
    await form.locator('[data-testid=camera-save]').click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });

    await cameras.row('Corridor').locator('[data-testid=camera-edit]').click();
    expect(await page.locator('[data-testid=camera-motion]').inputValue()).toBe('off');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
