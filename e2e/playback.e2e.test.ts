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
import { openDatabase } from '../app/engine/storage/database';
import { keyFileSecretBox } from '../app/engine/storage/key-file-secret-box';
import { EventsPage } from './pages/events-page';
import { AlarmsPage } from './pages/alarms-page';
import { confirmIfAsked, ensureBuilt, launchChromium, openApp as openAppIn } from './support/browser';
import { startHeadlessHost, type TestHost } from './support/headless-host';

/** Screenshots of this feature (looked at by whoever changes it). */
const SHOTS = '/tmp/evidence-shots';
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

/** A camera (not started: its recording is already on disk, as the recorder lays it out), one event, one open alarm. */
function seed(dir: string): void {
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  try {
    const cam = new CameraRepository(db, keyFileSecretBox(dir)).insert({ name: 'Gate', source: 'rtsp://127.0.0.1:1/none', rtspTransport: 'tcp', analysisFps: 5, enabled: false, modelId: null });
    writeTestRecording(path.join(dir, 'recordings'), cam.id, T0, 40, { format: 'mp4' });
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

beforeAll(async () => {
  ensureBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-playback-'));
  seed(dataDir);
  host = await startHeadlessHost({ dataDir });
  browser = await launchChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('playback (headless host, Chromium)', () => {
  it('from an event in Events, playback opens at the event minus the pre-roll and plays; the timeline shows the event', async () => {
    const page = await openApp(host.url);
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
    await page.locator('[data-testid=playback-timeline]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'playback-from-event.png') });

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
});
