import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, signIn } from './support/browser';

/** Issue 21 item 3: an admin imports a local model file on the Models page; it goes through the host with a progress bar. */
const app = useAppSession();
const { pageErrors } = app;
const SHOTS = process.env.WATCHROOM_SHOTS_DIR ?? path.join(ARTIFACTS, 'settings');
const MODEL = fixtures.model('yolox_nano.onnx');

describe('Models page: import a model file (headless host + Chromium)', () => {
  it('a file that is not a model is refused in words and leaves nothing; a real one uploads with a progress bar, is listed and can be the default', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // Each piece of the file waits 400 ms on its way to the host (about 3 s for the 3.5 MB model), so the bar can be seen.
    await page.routeWebSocket(/.*/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        if (typeof m === 'string' && m.includes('"models:upload-chunk"')) setTimeout(() => server.send(m), 400);
        else server.send(m);
      });
    });
    await page.goto(app.host.url);
    await signIn(page);
    await page.click('[data-testid=nav-models]');
    const form = page.locator('[data-testid=model-import]');
    await form.waitFor({ timeout: 10_000 });
    const modelsDir = path.join(app.host.dataDir, 'models');
    const before = fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).sort() : [];

    const notes = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wr-e2e-import-')), 'notes.onnx');
    fs.writeFileSync(notes, 'These are not the weights you are looking for.\n'.repeat(200));
    await form.locator('[data-testid=model-import-file]').setInputFiles(notes);
    await form.locator('[data-testid=model-import-start]').click();
    await form.locator('[data-testid=model-import-progress][data-state=failed]').waitFor({ timeout: 30_000 });
    expect(await form.locator('[data-testid=model-import-progress]').innerText()).toMatch(/Not installed\. The file is not an ONNX model ONNX Runtime can open/);
    expect(fs.existsSync(modelsDir) ? fs.readdirSync(modelsDir).sort() : []).toEqual(before);

    await form.locator('[data-testid=model-import-file]').setInputFiles(MODEL);
    await form.locator('[data-testid=model-import-decoder]').selectOption('yolox');
    await form.locator('[data-testid=model-import-licence]').fill('Apache-2.0 (YOLOX by Megvii)');
    await form.locator('[data-testid=model-import-start]').click();
    await form.locator('[data-testid=model-import-progress][data-state=running] progress[value]').waitFor({ timeout: 10_000 });
    const bar = form.locator('[data-testid=model-import-progress] progress');
    await vi.waitFor(async () => expect(Number(await bar.getAttribute('value'))).toBeGreaterThanOrEqual(20), { timeout: 10_000, interval: 50 });
    for (const dir of [SHOTS, ARTIFACTS]) {
      fs.mkdirSync(dir, { recursive: true });
      await form.screenshot({ path: path.join(dir, 'models-import-progress.png') });
    }
    await form.locator('[data-testid=model-import-progress][data-state=done]').waitFor({ timeout: 60_000 });
    const row = page.locator('[data-testid=model-row][data-model-id=yolox_nano]');
    await row.waitFor({ timeout: 15_000 });
    const text = await row.innerText();
    expect(text).toContain('Apache-2.0 (YOLOX by Megvii)');
    expect(text).toMatch(/uploaded from the file yolox_nano\.onnx by admin on \d{4}-\d{2}-\d{2} \(SHA-256 [0-9a-f]{64}\)/);
    expect(fs.readdirSync(modelsDir).filter((f) => f.startsWith('.uploading-'))).toEqual([]);
    // The imported model outranks the fallback, so it may be the default at once; otherwise choose it.
    const isDefault = row.locator('.badge', { hasText: 'Default' });
    await isDefault.or(row.getByRole('button')).first().waitFor({ timeout: 15_000 });
    if (!(await isDefault.isVisible())) await row.getByRole('button').click();
    await isDefault.waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=model-running]').first().waitFor({ timeout: 30_000 });
    for (const dir of [SHOTS, ARTIFACTS]) await row.screenshot({ path: path.join(dir, 'models-imported.png') });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
