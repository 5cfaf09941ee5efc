import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../../test/support/shared-fixtures';

/**
 * Debian's Chromium for e2e (Playwright cannot download browsers here). Without the background-networking
 * flags Chromium keeps trying to reach the internet (see ../shared/environment-notes.md).
 */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.WATCHROOM_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** The host serves the renderer bundle: build it (and the Node bundles) when missing or older than the sources. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-if-missing.mjs')], { cwd: repoRoot, stdio: 'inherit' });
}

export const ARTIFACTS = path.join(repoRoot, 'artifacts', 'e2e');

/** The administrator every e2e data dir gets on first run (there is no default account). */
export const E2E_ADMIN = { name: 'admin', password: 'watchroom-e2e-admin' } as const;

/**
 * Signs the page in: on a fresh data dir it creates the administrator (first-run form), otherwise it signs in
 * with `user` (default E2E_ADMIN); resolves once the app shell's API connection is open.
 */
export async function signIn(page: Page, user: { name: string; password: string } = E2E_ADMIN): Promise<void> {
  const form = await page.waitForSelector('[data-testid=auth-setup], [data-testid=auth-login], [data-testid=connection-status][data-state=open]', { timeout: 30_000 });
  const kind = await form.getAttribute('data-testid');
  if (kind === 'auth-setup') {
    await page.fill('[data-testid=auth-setup] input[name=name]', E2E_ADMIN.name);
    await page.fill('[data-testid=auth-setup] input[name=password]', E2E_ADMIN.password);
    await page.fill('[data-testid=auth-setup] input[name=again]', E2E_ADMIN.password);
    await page.click('[data-testid=auth-submit]');
    if (user.name !== E2E_ADMIN.name) throw new Error('first run: only the administrator exists yet');
  } else if (kind === 'auth-login') {
    await page.fill('[data-testid=auth-login] input[name=name]', user.name);
    await page.fill('[data-testid=auth-login] input[name=password]', user.password);
    await page.click('[data-testid=auth-submit]');
  }
  await page.waitForSelector('[data-testid=connection-status][data-state=open]', { timeout: 30_000 });
}

/** Opens the app in a new 1280x800 page, records page errors, signs in (as `user`, default the e2e admin) and waits until its API connection is open. */
export async function openApp(browser: Browser, url: string, pageErrors: string[], user?: { name: string; password: string }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await signIn(page, user);
  return page;
}

/**
 * Sensitive actions (removing a camera, voiding or correcting an event, user changes, the security policy) ask
 * for the password again in a dialog: call this right after the click that triggers one. With `approver`, fills
 * the four-eyes fields too. Resolves once the dialog closed.
 */
export async function confirmIfAsked(page: Page, password: string = E2E_ADMIN.password, approver?: { name: string; password: string }): Promise<void> {
  const dialog = page.locator('[data-testid=confirm-dialog]');
  await dialog.waitFor({ timeout: 15_000 });
  await dialog.locator('input[name=password]').fill(password);
  if (approver) {
    await dialog.locator('input[name=approver]').fill(approver.name);
    await dialog.locator('input[name=approverPassword]').fill(approver.password);
  }
  await dialog.locator('[data-testid=confirm-submit]').click();
  await dialog.waitFor({ state: 'detached', timeout: 15_000 });
}
