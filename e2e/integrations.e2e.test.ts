import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, E2E_ADMIN } from './support/browser';

const app = useAppSession();
const { openApp, pageErrors } = app;

describe('Settings -> Integrations: the HTTP API and its tokens, as an admin meets them', () => {
  it('switches the API on (password), creates a token shown once, and the token works against /api/v1', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.click('[data-testid=nav-settings]');
    const section = page.locator('[data-testid=integrations]');
    await section.waitFor({ timeout: 10_000 });

    const confirm = async () => {
      await page.locator('[data-testid=confirm-dialog] #confirm-password').fill(E2E_ADMIN.password);
      await page.click('[data-testid=confirm-submit]');
      await page.locator('[data-testid=confirm-dialog]').waitFor({ state: 'detached', timeout: 10_000 });
    };
    const before = await section.locator('[data-testid=api-switch]').innerText();
    await section.locator('[data-testid=api-switch]').click();
    await confirm();
    await section.locator('[data-testid=api-switch]').filter({ hasNotText: before }).waitFor({ timeout: 10_000 });

    await section.locator('input[placeholder="access-control"]').fill('door-panel');
    await section.locator('button[type=submit]').first().click();
    await confirm();
    const banner = section.locator('[data-testid=token-created]');
    await banner.waitFor({ timeout: 10_000 });
    const token = /(wr_[0-9a-f]+\.[A-Za-z0-9_-]+)/.exec(await banner.innerText())?.[1];
    expect(token, await banner.innerText()).toBeTruthy();
    expect(await section.locator('[data-testid=token-row]').count()).toBe(1);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'settings-integrations.png'), fullPage: true });

    // The token it showed works, from outside the browser, and a request without it is refused.
    const base = new URL(app.host.url).origin;
    const ok = await fetch(`${base}/api/v1/cameras`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    const refused = await fetch(`${base}/api/v1/cameras`);
    expect(refused.status).toBe(401);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
