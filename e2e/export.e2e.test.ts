import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, startHttpsReceiver, type HttpsReceiver, type TestPki } from '../test/support/export-servers';
import { ExportPage } from './pages/export-page';
import { ARTIFACTS, ensureBuilt, launchChromium, openApp } from './support/browser';
import { startHeadlessHost, type TestHost } from './support/headless-host';

let host: TestHost;
let browser: Browser;
let rx: HttpsReceiver;
let pki: TestPki;
const pageErrors: string[] = [];
beforeAll(async () => {
  ensureBuilt();
  pki = makeTestPki();
  rx = await startHttpsReceiver({ pki, bearer: 'right-token' });
  host = await startHeadlessHost();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await rx?.close();
});

describe('export admin page', () => {
  it('adds an HTTPS sink, says plainly when the token is wrong, and shows the fix working', async () => {
    // Export sinks are the administrator's (created on this fresh data dir's first run).
    const page = await openApp(browser, host.url, pageErrors);
    await page.setViewportSize({ width: 1400, height: 900 });
    const ex = new ExportPage(page);
    await ex.open();
    // A bad URL is refused with the schema's message.
    await page.click('[data-testid=export-add]');
    await page.locator('[data-testid=sink-form] input[name=name]').fill('HQ');
    await page.locator('[data-testid=sink-form] input[name=site]').fill('north');
    await page.locator('[data-testid=sink-form] input[name=url]').fill('http://hq.example/ingest');
    await page.locator('[data-testid=sink-save]').click();
    expect(await ex.saveError()).toMatch(/https:\/\//);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await ex.addHttpsSink({ name: 'Head office', site: 'north', url: rx.url, token: 'wrong-token', caPem: pki.caPem });
    expect(await ex.test('Head office')).toMatch(/refused the credentials \(HTTP 401\)/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'export-wrong-token.png') });

    await ex.row('Head office').getByRole('button', { name: 'Edit' }).click();
    await page.locator('[data-testid=sink-form] input[name=secret]').fill('right-token');
    await ex.save();
    expect(await ex.test('Head office')).toMatch(/Connected/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'export.png') });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
