import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '../app/engine/models/file-hash';
import { fixtures } from '../test/support/shared-fixtures';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

/** Issue 21 item 3: an admin fetches a model from an address on the Models page, with a progress bar. */
const app = useAppSession();
const { openApp, pageErrors } = app;
const SHOTS = process.env.WATCHROOM_SHOTS_DIR ?? path.join(ARTIFACTS, 'settings');
const MODEL = fixtures.model('yolox_nano.onnx');

/** Serves the model slowly (64 KiB every 40 ms, about 2 s) so the progress bar can be seen. */
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!req.url?.endsWith('/yolox_nano.onnx')) return void res.writeHead(404).end();
    const data = fs.readFileSync(MODEL);
    res.writeHead(200, { 'Content-Length': data.length, 'Content-Type': 'application/octet-stream' });
    let at = 0;
    const timer = setInterval(() => {
      if (at >= data.length || res.destroyed) {
        clearInterval(timer);
        return void res.end();
      }
      res.write(data.subarray(at, (at += 65536)));
    }, 40);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Models page: fetch a model from an address (headless host + Chromium)', () => {
  it('a wrong SHA-256 is refused in words; the right one downloads with a progress bar and the model is listed', async () => {
    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.click('[data-testid=nav-models]');
    const form = page.locator('[data-testid=model-fetch]');
    await form.waitFor({ timeout: 10_000 });
    const progress = form.locator('[data-testid=model-fetch-progress]');

    await form.locator('[data-testid=model-fetch-url]').fill(`${base}/yolox_nano.onnx`);
    await form.locator('[data-testid=model-fetch-sha]').fill('ab'.repeat(32));
    await form.locator('[data-testid=model-fetch-start]').click();
    await form.locator('[data-testid=model-fetch-progress][data-state=failed]').waitFor({ timeout: 30_000 });
    expect(await progress.innerText()).toMatch(/its SHA-256 differs\), so it was deleted/);
    expect(fs.readdirSync(path.join(app.host.dataDir, 'models')).filter((f) => f.includes('yolox_nano.import'))).toEqual([]);

    await form.locator('[data-testid=model-fetch-sha]').fill(await sha256File(MODEL));
    await form.locator('[data-testid=model-fetch-start]').click();
    await form.locator('[data-testid=model-fetch-progress][data-state=running] progress[value]').waitFor({ timeout: 10_000 });
    for (const dir of [SHOTS, ARTIFACTS]) {
      fs.mkdirSync(dir, { recursive: true });
      await form.screenshot({ path: path.join(dir, 'models-fetch-progress.png') });
    }
    await form.locator('[data-testid=model-fetch-progress][data-state=done]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=model-row][data-model-id=yolox_nano]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=model-row][data-model-id=yolox_nano]').innerText()).toContain('downloaded from');
    for (const dir of [SHOTS, ARTIFACTS]) await page.screenshot({ path: path.join(dir, 'models-fetched.png'), fullPage: true });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
