import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmStore } from '../app/engine/alarms/alarm-store';
import { TrackStore } from '../app/engine/ledger/track-store';
import { writeTestRecording } from '../app/engine/evidence/recordings.test-support';
import { nullLogger } from '../app/engine/logging/logger';
import { CameraRepository } from '../app/engine/storage/camera.repository';
import { DB_FILE, openDatabase } from '../app/engine/storage/database';
import { keyFileSecretBox } from '../app/engine/storage/key-file-secret-box';
import { EventsPage } from './pages/events-page';
import { AlarmsPage } from './pages/alarms-page';
import { ARTIFACTS, confirmIfAsked, ensureBuilt, launchChromium, openApp as openAppIn } from './support/browser';
import { startHeadlessHost, type TestHost } from './support/headless-host';

/** Screenshots of this feature (for the closing note; looked at by whoever changes it). */
const SHOTS = process.env.WATCHROOM_SHOTS_DIR ?? path.join(ARTIFACTS, 'playback');
/** 40 s of recording, starting a few minutes ago; the event and the alarm at T0 + 20 s. */
const T0 = Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000;
const EVENT_MS = T0 + 20_000;
let host: TestHost;
let browser: Browser;
let dataDir: string;
let alarmId = '';
const pageErrors: string[] = [];
const openApp = (url: string): Promise<Page> => openAppIn(browser, url, pageErrors);
/** A `datetime-local` value in the browser's zone (the test runs on the same machine). */
const localInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);

/**
 * Cameras not started (their recordings are already on disk as the recorder lays them out; the engine indexes them
 * at start): Gate (from T0), Yard (from T0 + 3 s, so its clips start at another moment than Gate's) and Dock (H.265);
 * one event and one open alarm on Gate.
 */
function seed(dir: string): void {
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  try {
    const cams = new CameraRepository(db, keyFileSecretBox(dir));
    const base = { source: 'rtsp://127.0.0.1:1/none', rtspTransport: 'tcp' as const, analysisFps: 5, enabled: false, modelId: null };
    const cam = cams.insert({ ...base, name: 'Gate' });
    writeTestRecording(path.join(dir, 'recordings'), cam.id, T0, 40, { format: 'mp4' });
    writeTestRecording(path.join(dir, 'recordings'), cams.insert({ ...base, name: 'Yard' }).id, T0 + 3_000, 40, { format: 'mp4', size: '480x270' });
    writeTestRecording(path.join(dir, 'recordings'), cams.insert({ ...base, name: 'Dock' }).id, T0, 20, { format: 'mp4', codec: 'hevc' });
    db.prepare(
      `INSERT INTO ledger_events (id, camera_id, rule_id, track_id, cls, type, direction, confidence, frame_at, frame_ms, model_id, snapshot, box, detail, source, dedupe_key, created_at)
       VALUES ('01PLAYBACKEVENT000000000001', ?, 'door', 1, 'person', 'line.cross', 'in', 0.9, ?, ?, 'yolox_nano', NULL, NULL, NULL, 'live', 'seed|1', ?)`,
    ).run(cam.id, new Date(EVENT_MS).toISOString(), EVENT_MS, new Date().toISOString());
    // A person's stored track through the event: drawn over the video in playback.
    const samples = Array.from({ length: 23 }, (_, i) => ({ ms: T0 + 8_000 + i * 1000, box: [0.1 + i * 0.02, 0.3, 0.25 + i * 0.02, 0.8] as [number, number, number, number], score: 0.9 }));
    new TrackStore(db).insert([{ cameraId: cam.id, session: 's1', trackId: 4, cls: 'person', samples }]);
    const store = new AlarmStore(db, () => EVENT_MS);
    alarmId = store.open({ kind: 'rule', cameraId: cam.id, ruleId: 'door', trackId: 1, eventId: null, type: 'zone.intrusion', priority: 2, snapshot: null }, 'system').alarm.id;
  } finally {
    db.close();
  }
}

/** What the test reads of a <video> element (the node type-check has no DOM types). */
type VideoLike = { currentTime: number; readyState: number };
const videoTime = (page: Page, selector: string): Promise<number> => page.locator(selector).first().evaluate((v) => (v as unknown as VideoLike).currentTime);

async function waitUntil(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The video's currentTime, read twice: it must advance while playing. */
async function advancing(page: Page, selector: string): Promise<{ first: number; second: number }> {
  const video = page.locator(selector).first();
  await video.waitFor({ timeout: 60_000 });
  await waitUntil('the video to load', async () => (await video.evaluate((v) => (v as unknown as VideoLike).readyState)) >= 2, 60_000);
  const first = await videoTime(page, selector);
  await waitUntil('the video to play', async () => (await videoTime(page, selector)) > first + 0.5);
  return { first, second: await videoTime(page, selector) };
}

/** Each tile's wall-clock moment (its clip's start + its video's time), read in one go. */
const tileMoments = (page: Page): Promise<number[]> =>
  page.$$eval('[data-testid=playback-tile]', (tiles) =>
    tiles.map((t) => {
      const v = t.querySelector('video') as unknown as VideoLike | null;
      return v && v.readyState >= 1 ? Number((t as unknown as { dataset: Record<string, string> }).dataset.clipStart) + v.currentTime * 1000 : NaN;
    }),
  );
/** Two frames at 25 fps. */
const TWO_FRAMES_MS = 80;

beforeAll(async () => {
  ensureBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-playback-'));
  seed(dataDir);
  host = await startHeadlessHost({ dataDir });
  // The engine indexes the recordings it finds at start (as after a crash): wait until every file is in the index.
  const files = fs.readdirSync(path.join(dataDir, 'recordings'), { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.mp4')).length;
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  try {
    await waitUntil('the recordings indexed', async () => (db.prepare("SELECT COUNT(*) FROM recording_segments WHERE status = 'ok'").pluck().get() as number) === files, 150_000);
  } finally {
    db.close();
  }
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
  // Building the renderer when stale, encoding the recordings and indexing them at start take a while on a busy machine.
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('playback (headless host, Chromium)', () => {
  it('from an event in Events, playback opens at the event minus the pre-roll and plays; the timeline shows the event', async () => {
    const page = await openApp(host.url);
    await page.setViewportSize({ width: 1400, height: 1100 });
    const events = new EventsPage(page);
    await events.open();
    await page.locator('[data-testid=event-row][data-kind=ledger]').first().click();
    await page.click('[data-testid=event-play-back]');
    await page.waitForSelector('[data-testid=playback-page]');
    const { first, second } = await advancing(page, '[data-testid=playback-video]');
    const clipStart = Number(await page.locator('[data-testid=playback-tile]').getAttribute('data-clip-start'));
    // Opened at the event's moment minus 10 s of pre-roll (video time is wall time from the clip's start).
    expect(Math.abs(clipStart + first * 1000 - (EVENT_MS - 10_000))).toBeLessThan(1500);
    expect(second).toBeGreaterThan(first);
    await page.waitForSelector(`[data-testid=playback-timeline] [data-testid=timeline-event][data-at="${EVENT_MS}"]`);
    expect(await page.locator('[data-testid=playback-timeline] [data-testid=timeline-range]').count()).toBeGreaterThan(0);
    // The stored track's boxes are drawn over the video.
    expect(await page.locator('[data-testid=playback-boxes]').getAttribute('data-tracks', { timeout: 30_000 })).toBe('1');
    // The recorded range around the event is on the timeline, the event inside it.
    await waitUntil('the recorded range around the event', async () =>
      (await page.$$eval('[data-testid=playback-timeline] [data-testid=timeline-range]', (rs) => rs.map((r) => [Number(r.getAttribute('data-from')), Number(r.getAttribute('data-to'))]))).some(([a, b]) => a! <= EVENT_MS && EVENT_MS <= b!),
    );
    await page.screenshot({ path: path.join(SHOTS, 'playback-from-event.png') });
    // The timeline with its time scale and legend below it.
    const line = (await page.locator('[data-testid=playback-timeline]').first().boundingBox())!;
    await page.screenshot({ path: path.join(SHOTS, 'playback-timeline-event.png'), clip: { x: line.x - 4, y: line.y - 4, width: line.width + 8, height: line.height + 64 } });

    // Pause holds the time; +10 s jumps ahead.
    await page.click('[data-testid=playback-toggle]');
    const video = '[data-testid=playback-video]';
    const paused = await videoTime(page, video);
    await page.waitForTimeout(700);
    expect(await videoTime(page, video)).toBeCloseTo(paused, 1);
    await page.click('[data-testid=playback-forward10]');
    await waitUntil('+10 s', async () => (await videoTime(page, video)) > paused + 9, 15_000);

    // A supervisor (here the admin) exports 10 s of what is shown, with the password typed again, and verifies it.
    await page.click('[data-testid=evidence-export] summary');
    await page.fill('[data-testid=evidence-from]', localInput(T0 + 12_000));
    await page.fill('[data-testid=evidence-to]', localInput(T0 + 22_000));
    await page.fill('[data-testid=evidence-reason]', 'Case 42: door forced');
    await page.click('[data-testid=evidence-start]');
    await confirmIfAsked(page);
    const done = await page.waitForSelector('[data-testid=evidence-done]', { timeout: 120_000 });
    expect(await done.textContent()).toContain(path.join(dataDir, 'reports'));
    await page.click('[data-testid=evidence-verify]');
    await page.waitForSelector('[data-testid=evidence-verified][data-state=intact]', { timeout: 30_000 });
    const [folder] = fs.readdirSync(path.join(dataDir, 'reports')).filter((f) => f.startsWith('evidence-'));
    expect(fs.readdirSync(path.join(dataDir, 'reports', folder!)).sort()).toEqual(['Gate.mp4', 'events.csv', 'manifest.json', 'summary.pdf']);
    await page.locator('[data-testid=evidence-verified]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'evidence-export-verified.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('the alarm detail plays its clip', async () => {
    const page = await openApp(host.url);
    await page.setViewportSize({ width: 1400, height: 1100 });
    const alarms = new AlarmsPage(page);
    await alarms.open();
    await alarms.select(alarmId);
    const { first, second } = await advancing(page, '[data-testid=alarm-clip]');
    expect(second).toBeGreaterThan(first);
    await page.screenshot({ path: path.join(SHOTS, 'alarm-detail-clip.png') });
    await page.click('[data-testid=alarm-play-back]');
    await page.waitForSelector(`[data-testid=timeline-alarm][data-at="${EVENT_MS}"]`, { timeout: 30_000 });
    await advancing(page, '[data-testid=playback-video]');
    await page.locator('[data-testid=playback-timeline]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'playback-from-alarm.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('two cameras play together on one wall-clock moment; pause and seek move both', async () => {
    const page = await openApp(host.url);
    await page.setViewportSize({ width: 1400, height: 1000 });
    await page.click('[data-testid=nav-playback]');
    await page.waitForSelector('[data-testid=playback-page]');
    await page.check('[data-testid=playback-camera-Gate]');
    await page.check('[data-testid=playback-camera-Yard]');
    await page.fill('[data-testid=playback-at]', localInput(EVENT_MS - 8_000));
    await page.click('[data-testid=playback-show]');
    await waitUntil('two videos', async () => (await page.locator('[data-testid=playback-video]').count()) === 2, 60_000);
    for (const name of ['Gate', 'Yard']) await advancing(page, `[data-testid=playback-tile][data-camera=${name}] video`);
    // Their clips start at different moments (Yard's recording starts 3 s later), so equal wall times mean sync.
    const starts = await page.$$eval('[data-testid=playback-tile]', (tiles) => tiles.map((t) => Number((t as unknown as { dataset: Record<string, string> }).dataset.clipStart)));
    expect(Math.abs(starts[1]! - starts[0]!)).toBeGreaterThanOrEqual(2_000);
    await waitUntil('the two videos on the same moment', async () => {
      const [a, b] = await tileMoments(page);
      return Math.abs(a! - b!) <= TWO_FRAMES_MS;
    });
    // While playing: both advance, and every reading finds them on the same moment within two frames.
    let last = await tileMoments(page);
    for (let i = 0; i < 6; i++) {
      await page.waitForTimeout(400);
      const m = await tileMoments(page);
      expect(Math.abs(m[0]! - m[1]!), `reading ${i}: ${m.join(' / ')}`).toBeLessThanOrEqual(TWO_FRAMES_MS);
      expect(m[0]).toBeGreaterThan(last[0]!);
      expect(m[1]).toBeGreaterThan(last[1]!);
      last = m;
    }
    await page.screenshot({ path: path.join(SHOTS, 'playback-two-cameras.png') });

    // Pause: both stop on the same moment.
    await page.click('[data-testid=playback-toggle]');
    await waitUntil('both paused on one moment', async () => {
      const a = await tileMoments(page);
      await page.waitForTimeout(300);
      const b = await tileMoments(page);
      return a[0] === b[0] && a[1] === b[1] && Math.abs(b[0]! - b[1]!) <= TWO_FRAMES_MS;
    });
    const paused = await tileMoments(page);

    // Seek (+10 s, then a click on the timeline): both move there together.
    await page.click('[data-testid=playback-forward10]');
    await waitUntil('both 10 s later', async () => {
      const m = await tileMoments(page);
      return Math.abs(m[0]! - (paused[0]! + 10_000)) <= 300 && Math.abs(m[1]! - m[0]!) <= TWO_FRAMES_MS;
    });
    const timeline = page.locator('[data-testid=playback-timeline][data-camera=Gate]');
    const box = (await timeline.boundingBox())!;
    const from = Number(await timeline.getAttribute('aria-valuemin'));
    const to = Number(await timeline.getAttribute('aria-valuemax'));
    const target = T0 + 6_000;
    await page.mouse.click(box.x + ((target - from) / (to - from)) * box.width, box.y + box.height / 2);
    await waitUntil('both at the clicked moment', async () => {
      const m = await tileMoments(page);
      return Math.abs(m[0]! - target) <= 1_000 && Math.abs(m[1]! - m[0]!) <= TWO_FRAMES_MS;
    });
    // Play again: still together.
    await page.click('[data-testid=playback-toggle]');
    const resumed = await tileMoments(page);
    await waitUntil('both playing again', async () => {
      const m = await tileMoments(page);
      return m[0]! > resumed[0]! + 1_000 && m[1]! > resumed[1]! + 1_000;
    });
    const m = await tileMoments(page);
    expect(Math.abs(m[0]! - m[1]!)).toBeLessThanOrEqual(TWO_FRAMES_MS);
    // Faster (4×): still on the same moment within two frames of the recording.
    await page.selectOption('[data-testid=playback-speed]', '4');
    await waitUntil('the two videos together at 4×', async () => {
      const [a, b] = await tileMoments(page);
      return Math.abs(a! - b!) <= TWO_FRAMES_MS;
    });
    last = await tileMoments(page);
    for (let i = 0; i < 4; i++) {
      await page.waitForTimeout(400);
      const f = await tileMoments(page);
      expect(Math.abs(f[0]! - f[1]!), `4×, reading ${i}: ${f.join(' / ')}`).toBeLessThanOrEqual(TWO_FRAMES_MS);
      expect(f[0]).toBeGreaterThan(last[0]! + 800);
      last = f;
    }
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('an H.265 recording is converted for playback on demand, and the tile says so', async () => {
    const page = await openApp(host.url);
    await page.click('[data-testid=nav-playback]');
    await page.waitForSelector('[data-testid=playback-page]');
    await page.check('[data-testid=playback-camera-Dock]');
    await page.fill('[data-testid=playback-at]', localInput(T0 + 2_000));
    await page.click('[data-testid=playback-show]');
    const tile = page.locator('[data-testid=playback-tile][data-camera=Dock]');
    await advancing(page, '[data-testid=playback-tile][data-camera=Dock] video');
    expect(await tile.locator('[data-testid=playback-transcoded]').textContent()).toContain('converted for playback');
    await tile.screenshot({ path: path.join(SHOTS, 'playback-h265-converted.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
