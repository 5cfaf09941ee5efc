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

/** Opens the app in a new 1280x800 page, records page errors, and waits until its API connection is open. */
export async function openApp(browser: Browser, url: string, pageErrors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('[data-testid=connection-status][data-state=open]', { timeout: 30_000 });
  return page;
}
