import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
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
