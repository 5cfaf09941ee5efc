import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ensureBuilt, launchChromium, openApp } from './browser';
import { startHeadlessHost, type StartTestHostOptions, type TestHost } from './headless-host';

export interface AppSession {
  /** The headless host of this spec file (started in beforeAll, stopped in afterAll). */
  readonly host: TestHost;
  /** Debian's Chromium, one for the spec file. */
  readonly browser: Browser;
  /** Errors thrown in any page this session opened. */
  readonly pageErrors: string[];
  /** A signed-in page on `url` (default: the host's URL), as `user` (default: the e2e admin). */
  openApp(url?: string, user?: { name: string; password: string }): Promise<Page>;
}

/**
 * The set-up every e2e spec shares: builds what is missing, starts a headless host (with `options`, or what
 * `options()` returns when it runs, e.g. a data dir prepared in an earlier beforeAll) and Chromium before the
 * spec's tests, and stops both after them. Register it at the top level of a spec file.
 */
export function useAppSession(options: StartTestHostOptions | (() => StartTestHostOptions) = {}): AppSession {
  let host: TestHost | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    ensureBuilt();
    host = await startHeadlessHost(typeof options === 'function' ? options() : options);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });
  const started = <T>(what: string, v: T | undefined): T => {
    if (!v) throw new Error(`the ${what} is not started (useAppSession registers beforeAll: call it at the top level)`);
    return v;
  };
  return {
    get host() {
      return started('headless host', host);
    },
    get browser() {
      return started('browser', browser);
    },
    pageErrors,
    openApp: (url, user) => openApp(started('browser', browser), url ?? started('headless host', host).url, pageErrors, user),
  };
}
