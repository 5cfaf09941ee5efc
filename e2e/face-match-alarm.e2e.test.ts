import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../test/support/shared-fixtures';
import { AlarmsPage } from './pages/alarms-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS, E2E_ADMIN, ensureBuilt } from './support/browser';
import { adminApi } from './support/headless-host';

/**
 * A watchlist match in the alarm queue, end to end: headless host, camera and inference workers, the face models,
 * Chromium. The corridor clip plays on a camera with face matching on; the man walking on the right is enrolled from
 * one frame of it. The officer sees both faces side by side and rejects the match.
 */
const clip = () => fixtures.video('intel_face_demographics_walking_preview.mp4');
let dataDir: string;
beforeAll(() => {
  ensureBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-faces-'));
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/node/models.cjs'), 'import', fixtures.model('yolox_nano.onnx'), '--data-dir', dataDir], { cwd: repoRoot, stdio: 'inherit' });
});
afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});
const app = useAppSession(() => ({ dataDir }));
const { openApp, pageErrors } = app;

describe('a watchlist match opens an alarm with both faces', () => {
  it('shows the face seen beside the enrolled photo, the likeness in words, the camera and the track; the officer rejects it', async () => {
    const photo = path.join(dataDir, 'man.png');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', clip(), '-vf', 'select=eq(n\\,31),crop=240:270:240:0', '-frames:v', '1', photo]);
    const api = await adminApi(app.host);
    const must = async (channel: string, input?: unknown) => {
      const r = await api.invoke(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    await must('auth:elevate', { channel: 'faces:enrol', password: E2E_ADMIN.password });
    await must('faces:enrol', { name: 'Walking man', category: 'banned', expiresAt: null, photos: [fs.readFileSync(photo).toString('base64')] });
    fs.rmSync(photo);
    const cameraId = ((await must('cameras:add', { name: 'Corridor', source: clip(), analysisFps: 12 })) as { id: string }).id;
    await must('auth:elevate', { channel: 'faces:camera-set', password: E2E_ADMIN.password });
    await must('faces:camera-set', { cameraId, enabled: true, noticeAccepted: true });
    api.close();

    const page = await openApp();
    await page.setViewportSize({ width: 1400, height: 900 });
    const alarms = new AlarmsPage(page);
    await alarms.open();
    const id = await alarms.waitForAlarm('[data-kind=system]', 150_000);
    await alarms.select(id);
    const detail = page.locator(`[data-testid=alarm-detail][data-alarm-id="${id}"]`);
    expect(await detail.locator('[data-testid=alarm-detail-title]').innerText()).toBe('P1 · Watchlist match: Walking man (banned) on Corridor');
    await detail.locator('[data-testid=face-match-seen]').waitFor({ timeout: 15_000 });
    await detail.locator('[data-testid=face-match-enrolled]').waitFor();
    expect(await detail.locator('[data-testid=face-match-camera]').innerText()).toBe('Corridor');
    expect(await detail.locator('[data-testid=face-match-track]').innerText()).toMatch(/^#\d+$/);
    expect(await detail.locator('[data-testid=face-match-similarity]').innerText()).toMatch(/^(very alike|alike|alike enough to match \(strict threshold\)) \(0\.\d\d; /);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'face-match-alarm.png') });

    await detail.locator('[data-testid=face-match-reject]').click();
    expect(await detail.locator('[data-testid=face-match-outcome]').innerText()).toBe(`Rejected by ${E2E_ADMIN.name}.`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'face-match-alarm-rejected.png') });
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
