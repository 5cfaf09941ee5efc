import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { HealthPage } from './pages/health-page';
import { LivePage } from './pages/live-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, ensureBuilt } from './support/browser';

let dataDir: string;
beforeAll(() => {
  ensureBuilt();
  // YOLOX-Nano imported into the test's data dir with the real CLI before the host starts (detection on).
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-degrade-'));
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/node/models.cjs'), 'import', fixtures.model('yolox_nano.onnx'), '--data-dir', dataDir], { cwd: repoRoot, stdio: 'inherit' });
});
afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
// registered after the data dir's hooks: the host starts on it, and stops before it is removed
const app = useAppSession(() => ({ dataDir }));
const { openApp, pageErrors } = app;

const REDUCED = /reduced to \d+(\.\d)? fps \(load\)/;

describe('graceful degradation on screen: 8 cameras that always look for people overload the detector', () => {
  it('the Health page and the live tiles say "reduced to N fps (load)"', async () => {
    const page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    await cameras.open();
    // 8 cameras at the clip's 10 fps, "always" looking for people: 80 detector runs a second, more than one ORT
    // session of one thread does on any 2-core machine
    const ids: string[] = [];
    for (let i = 1; i <= 8; i++) {
      await page.click('[data-testid=camera-add]');
      const form = page.locator('[data-testid=camera-form]');
      await form.locator('input[name=name]').fill(`Corridor ${i}`);
      await form.locator('input[name=source]').fill(fixtures.video('intel_one_by_one_person.mp4'));
      await form.locator('input[name=analysisFps]').fill('10');
      await form.locator('[data-testid=camera-motion]').selectOption('off');
      await form.locator('[data-testid=camera-save]').click();
      await form.waitFor({ state: 'detached', timeout: 15_000 });
      const row = cameras.row(`Corridor ${i}`);
      await row.waitFor({ timeout: 15_000 });
      ids.push((await row.getAttribute('data-camera-id'))!);
    }

    const health = new HealthPage(page);
    await health.open();
    const until = Date.now() + 150_000;
    let reduced: string[] = [];
    while (Date.now() < until) {
      const rows = await health.rows();
      reduced = rows.filter((r) => ids.some((id) => r.id === `camera:${id}`) && REDUCED.test(r.text)).map((r) => r.id);
      if (reduced.length >= 2) break;
      await page.waitForTimeout(1_000);
    }
    expect(reduced.length, JSON.stringify(await health.rows())).toBeGreaterThanOrEqual(2);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'health-reduced-load.png'), fullPage: true });

    const live = new LivePage(page);
    await live.open();
    const reducedId = reduced[0]!.slice('camera:'.length);
    await page.waitForFunction(
      ([id, re]) => new RegExp(re as string).test((globalThis as unknown as { __watchroomDebug?: { tiles: Record<string, { hud: string }> } }).__watchroomDebug?.tiles[id as string]?.hud ?? ''),
      [reducedId, REDUCED.source] as const,
      { timeout: 60_000, polling: 250 },
    );
    expect((await live.tileDebug(reducedId))!.hud).toMatch(REDUCED);
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-reduced-load.png') });
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
