import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_PATH } from '../app/shared/ipc/ws-protocol';
import { ensureBuilt, launchChromium } from './support/browser';
import { startHeadlessHost, type TestHost } from './support/headless-host';


let host: TestHost;
let browser: Browser;
beforeAll(async () => {
  ensureBuilt();
  host = await startHeadlessHost();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('headless host in Chromium', () => {
  it('loads the renderer with the token, under the CSP', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(host.url);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.waitForSelector('#root > *');
    expect(errors).toEqual([]);
    // The token is gone from the address bar (the host redirected once the cookie was set; issue 18 B9).
    expect(page.url()).toBe(`${host.origin}/`);
    expect(await page.evaluate('location.search')).toBe('');
    // The HttpOnly cookie now authorises the page's own requests, and scripts cannot read it.
    expect(await page.evaluate('document.cookie')).toBe('');
    const again = await page.evaluate(async () => (await fetch('/')).status);
    expect(again).toBe(200);
    await page.close();
  });

  it('answers 403 without the token', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const res = await page.goto(host.origin + '/');
    expect(res?.status()).toBe(403);
    await ctx.close();
  });

  it('refuses a WebSocket from another origin, accepts one from its own', async () => {
    const page = await browser.newPage();
    await page.goto('data:text/html,<title>elsewhere</title>');
    const wsUrl = `${host.origin.replace('http', 'ws')}${WS_PATH}?token=${host.token}`;
    const open = (u: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(u);
        ws.onopen = () => {
          ws.close();
          resolve('open');
        };
        ws.onerror = () => resolve('refused');
      });
    expect(await page.evaluate(open, wsUrl)).toBe('refused');
    await page.goto(host.url);
    expect(await page.evaluate(open, wsUrl)).toBe('open');
    await page.close();
  });
});
