import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { HealthPage } from './pages/health-page';
import { LivePage } from './pages/live-page';
import { ModelsPage } from './pages/models-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, ensureBuilt } from './support/browser';

let dataDir: string;
beforeAll(() => {
  ensureBuilt();
  // YOLOX-Nano imported into the test's data dir (<dataDir>/models) with the real CLI before the host starts.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-det-'));
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/node/models.cjs'), 'import', fixtures.model('yolox_nano.onnx'), '--data-dir', dataDir], { cwd: repoRoot, stdio: 'inherit' });
});
afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
// registered after the data dir's hooks: the host starts on it, and stops before it is removed
const app = useAppSession(() => ({ dataDir }));
const { openApp, pageErrors } = app;

describe('detection through the UI (headless host + inference worker + Chromium)', () => {
  it('paints boxes on the frame they were computed on and shows the model, its licence and the HUD figures', async () => {
    const t0 = Date.now();
    const page = await openApp(app.host.url);
    const models = new ModelsPage(page);
    await models.open();
    await page.locator('[data-testid=models-detection-status]', { hasText: 'Detection is on' }).waitFor({ timeout: 60_000 });
    const status = await models.statusText();
    expect(status).toContain('yolox_nano');
    expect(status).toMatch(/Licence: /);
    expect(status).toMatch(/Source: /);
    const rows = await models.rows();
    expect(rows.find((r) => r.running)?.id).toBe('yolox_nano');
    expect(await page.locator('[data-testid=detection-banner]').count()).toBe(0);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'detection-models.png') });

    const cameras = new CamerasPage(page);
    await cameras.open();
    const id = await cameras.addCamera({ name: 'Corridor (file)', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 5 });
    const live = new LivePage(page);
    await live.open();
    await live.waitForState(id, 'online');
    const firstBox = await live.waitForTile(id, (t) => t.boxesPainted > 0, 'a painted box', 60_000);
    const firstBoxMs = Date.now() - t0;
    // Keep watching: at least 30 more frames with an overlay, all measured by the page itself.
    const after = await live.waitForTile(id, (t) => t.overlayTotal >= firstBox.overlayTotal + 30, '30 more overlay frames', 60_000);
    const matchPct = (100 * after.overlayMatches) / after.overlayTotal;
    expect(matchPct).toBeGreaterThanOrEqual(95);
    expect(after.hud).toMatch(/\d+(\.\d+)?\s*ms/);
    await live.waitForTile(id, (t) => t.lastBoxes > 0, 'a frame with boxes on screen', 30_000);
    console.info(`detection e2e: first painted box ${firstBoxMs} ms after opening; overlay matches ${after.overlayMatches}/${after.overlayTotal} (${matchPct.toFixed(1)} %); HUD "${after.hud}"`);

    await page.screenshot({ path: path.join(ARTIFACTS, 'detection.png') });

    const health = new HealthPage(page);
    await health.open();
    const inf = await health.waitForComponent('worker:inference');
    expect(inf.level).toBe('healthy');
    expect(inf.text.toUpperCase()).toMatch(/CPU|CUDA/);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
