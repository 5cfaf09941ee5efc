import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmStore } from '../app/engine/alarms/alarm-store';
import { nullLogger } from '../app/engine/logging/logger';
import { openDatabase } from '../app/engine/storage/database';
import { EventsPage } from './pages/events-page';
import { ARTIFACTS, ensureBuilt, launchChromium, openApp as openAppIn } from './support/browser';
import { startHeadlessHost, type TestHost } from './support/headless-host';

const N = 100_000;
/** Alarm history steps seeded among the ledger events: a rule alarm opened, acknowledged, closed; a health alarm opened, recovered and acknowledged (so nothing escalates while the test runs). */
const STEPS = 6;
let alarmId = '';
let host: TestHost;
let browser: Browser;
let dataDir: string;
const pageErrors: string[] = [];
const openApp = (url: string): Promise<Page> => openAppIn(browser, url, pageErrors);

/** Writes N ledger events (one transaction) and two alarms' history into the data dir's database before the host starts. */
function seedEvents(dir: string): void {
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  try {
    const ins = db.prepare(
      `INSERT INTO ledger_events (id, camera_id, rule_id, track_id, cls, type, direction, confidence, frame_at, frame_ms, model_id, snapshot, box, detail, source, dedupe_key, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 0.9, ?, ?, 'yolox_nano', NULL, NULL, NULL, 'live', ?, ?)`,
    );
    const start = Date.now() - 7 * 24 * 3600_000;
    const next = monotonicFactory();
    const created = new Date().toISOString();
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        const ms = start + i * 6000;
        const line = i % 2 === 0;
        const camera = i % 3 === 0 ? 'gate' : 'lobby';
        ins.run(next(ms), camera, line ? 'door' : 'hall', i, i % 5 === 0 ? 'car' : 'person', line ? 'line.cross' : 'zone.enter', line ? (i % 4 === 0 ? 'in' : 'out') : null, new Date(ms).toISOString(), ms, `seed|${i}`, created);
      }
    })();
    // Alarms in the middle of the ledger's time range: the review merges them in by time.
    let now = start + (N / 2) * 6000 + 1000;
    const store = new AlarmStore(db, () => now);
    const rule = store.open({ kind: 'rule', cameraId: 'gate', ruleId: 'door', trackId: 7, eventId: null, type: 'zone.intrusion', priority: 2, snapshot: null }, 'system').alarm;
    alarmId = rule.id;
    now += 1000;
    store.transition(rule.id, 'acknowledge', 'admin');
    now += 1000;
    store.transition(rule.id, 'close', 'admin', { outcome: 'false-alarm', comment: 'seeded' });
    now += 1000;
    const health = store.open({ kind: 'health', cameraId: 'lobby', condition: 'offline', priority: 1 }, 'system').alarm;
    now += 1000;
    store.transition(health.id, 'recover', 'system');
    now += 1000;
    store.transition(health.id, 'acknowledge', 'admin');
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  ensureBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-events-'));
  seedEvents(dataDir);
  host = await startHeadlessHost({ dataDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('events review with 100 000 events in the database', () => {
  it('scrolls to the end through keyset pages with only the visible rows in the page; filters narrow the list', async () => {
    const page = await openApp(host.url);
    const events = new EventsPage(page);
    await events.open();
    await page.waitForSelector('[data-testid=event-row]', { timeout: 30_000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'events-list.png') });

    const maxRendered = await events.scrollToEnd();
    expect(await events.loaded()).toEqual({ count: N + STEPS, done: true });
    expect(maxRendered).toBeLessThan(200);
    await page.waitForSelector(`[data-testid=event-row][data-index="${N + STEPS - 1}"]`, { timeout: 10_000 });
    // Still responsive at the end: a click selects the last row.
    await page.click(`[data-testid=event-row][data-index="${N + STEPS - 1}"]`);
    await page.waitForSelector(`[data-testid=event-row][data-index="${N + STEPS - 1}"].events-row--selected`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'events-list-end.png') });

    await page.selectOption('[data-testid=filter-type]', 'zone.enter');
    await page.selectOption('[data-testid=filter-class]', 'car');
    await page.click('[data-testid=filter-apply]');
    const rowsText = () => page.locator('[data-testid=event-row]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    let texts: string[] = [];
    for (let i = 0; i < 100; i++) {
      texts = await rowsText();
      if (texts.length > 0 && texts.every((x) => x.includes('Zone entry') && x.includes('car'))) break;
      await page.waitForTimeout(200);
    }
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((x) => x.includes('Zone entry') && x.includes('car'))).toBe(true);

    // Alarm history rows are in the same list; the type filter narrows to them (newest step first).
    await page.selectOption('[data-testid=filter-type]', 'alarm');
    await page.selectOption('[data-testid=filter-class]', '');
    await page.click('[data-testid=filter-apply]');
    const waitRows = async (ok: (xs: string[]) => boolean) => {
      for (let i = 0; i < 100 && !ok(await rowsText()); i++) await page.waitForTimeout(200);
      expect(ok(await rowsText())).toBe(true);
    };
    const alarmRows = page.locator('[data-testid=event-row][data-kind=alarm]');
    for (let i = 0; i < 100; i++) {
      texts = await rowsText();
      if (texts.length === 3 && (await events.loaded()).done) break;
      await page.waitForTimeout(200);
    }
    expect(await events.loaded()).toEqual({ count: 3, done: true });
    expect(await alarmRows.count()).toBe(3);
    expect(texts.every((x) => x.includes('Alarm') && x.includes('Intrusion'))).toBe(true);
    expect(texts[0]).toContain('Closed');
    expect(texts[0]).toContain('False alarm');
    await page.selectOption('[data-testid=filter-type]', 'health');
    await page.click('[data-testid=filter-apply]');
    await waitRows((xs) => xs.length === 3 && xs.every((x) => x.includes('Camera health')));
    texts = await rowsText();
    expect(texts.every((x) => x.includes('Camera health') && x.includes('Camera offline'))).toBe(true);
    expect(texts.map((x) => ['Acknowledged', 'Recovered', 'Opened'].find((a) => x.includes(a)))).toEqual(['Acknowledged', 'Recovered', 'Opened']);

    // Enter on an alarm row opens that alarm in the Alarms page.
    await page.selectOption('[data-testid=filter-type]', 'alarm');
    await page.click('[data-testid=filter-apply]');
    await waitRows((xs) => xs.length === 3 && xs.every((x) => x.includes('Intrusion')));
    await alarmRows.first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid=alarms-page] [data-testid=alarm-detail][data-alarm-id="${alarmId}"]`, { timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });
});
