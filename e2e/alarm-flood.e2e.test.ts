import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../test/support/shared-fixtures';
import { TEST_ALARM_CLOCK_ENV } from '../app/engine/alarms/alarm-clock';
import type { TestSocket } from '../app/server/test-socket.test-support';
import { AlarmsPage } from './pages/alarms-page';
import { ARTIFACTS } from './support/browser';
import { adminApi } from './support/headless-host';
import { useAppSession } from './support/app-session';

/**
 * Alarm flood control end to end (README "Alarm flood control"): a looped crowd clip with an armed counting line
 * folds into one alarm titled with the rule's name and direction; five camera-offline alarms push the site into
 * the flood state (top bar), are ticked and acknowledged together (five audit rows); the flood clears; the line is
 * shelved, holds its firings back, and the timer restores it. The host's alarm clock is moved forward through the
 * test clock file (WATCHROOM_TEST_ALARM_CLOCK_FILE) instead of waiting for the flood window or the shelf's 15 min.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-flood-'));
const clockFile = path.join(dataDir, 'alarm-clock-offset-ms');
fs.writeFileSync(clockFile, '0');
const session = useAppSession(() => ({ dataDir, env: { [TEST_ALARM_CLOCK_ENV]: clockFile } }));
const t0 = Date.now();
const step = (what: string) => console.log(`[flood e2e +${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
let api: TestSocket;

beforeAll(() => {
  // YOLOX-Nano imported into the data dir with the real CLI before the host starts (useAppSession's beforeAll runs after this one).
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/node/models.cjs'), 'import', fixtures.model('yolox_nano.onnx'), '--data-dir', dataDir], { cwd: repoRoot, stdio: 'inherit' });
});
afterAll(() => {
  api?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const r = await api.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`);
  return r.value as T;
}
async function poll<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 120_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}
/** Moves the host's alarm clock forward (cumulative offset). */
let offsetMs = 0;
function advanceAlarmClock(ms: number) {
  offsetMs += ms;
  fs.writeFileSync(clockFile, String(offsetMs));
}
async function shot(page: Page, name: string) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

type Alarm = { id: string; kind: string; ruleId: string | null; status: string; triggerCount: number; direction: string | null; ruleName: string | null };

describe('alarm flood control (headless host + Chromium, a looped crowd clip as the camera)', () => {
  it('folds a counting line into one alarm, floods and clears, acknowledges five at once (five audit rows), shelves and restores by the timer', async () => {
    api = await adminApi(session.host);
    await call('alarms:settings-set', { floodThreshold: 3, floodWindowS: 600, escalateAfterS: 3600 });
    const hall = await call<{ id: string }>('cameras:add', { name: 'Hall', source: fixtures.video('supervision_walking_crowd.mp4'), analysisFps: 5 });
    await call('rules:save', { cameraId: hall.id, rules: [{ id: 'line-1', name: 'Hall line', type: 'line', points: [[0, 0.5], [1, 0.5]], anchor: 'center' }] });
    await call('alarms:arm', { cameraId: hall.id, ruleId: 'line-1', priority: 3 });
    const page = await session.openApp();
    page.setDefaultTimeout(60_000);
    const alarms = new AlarmsPage(page);
    await alarms.open();

    // 1. Fold: the looped clip crosses the line again and again; one open alarm for the rule counts the repeats.
    step('line armed, waiting for repeats');
    const lineAlarm = await poll('the line alarm fired at least 10 times', async () => {
      const open = (await call<Alarm[]>('alarms:list', { status: 'open' })).filter((a) => a.ruleId === 'line-1');
      expect(open.length).toBeLessThanOrEqual(1);
      return open[0] && open[0].triggerCount >= 10 ? open[0] : undefined;
    }, 240_000);
    step(`line alarm fired ${lineAlarm.triggerCount} times`);
    await alarms.select(lineAlarm.id);
    const title = await page.locator('[data-testid=alarm-detail-title]').innerText();
    expect(title).toMatch(/^P3 · Line crossing · Hall · Hall line · (in|out)$/);
    expect(await page.locator(`[data-testid=alarm-item][data-alarm-id="${lineAlarm.id}"] [data-testid=alarm-item-title]`).innerText()).toMatch(/Hall line · (in|out)$/);
    expect(await page.locator('[data-testid=alarm-detail]').innerText()).toMatch(/fired again ×\d+ · last \d\d:\d\d/);
    // The alarm keeps firing (a new snapshot each time): the detail still shows a picture.
    await page.waitForSelector('[data-testid=alarm-snapshot]', { timeout: 30_000 });
    await shot(page, 'alarm-rule-name-direction.png');
    await page.click('[data-testid=alarm-acknowledge]');
    await alarms.waitForStatus(lineAlarm.id, 'acknowledged');

    // 2. Flood: five cameras whose files are missing raise five offline alarms (P2): 6 opened > 3 in 10 minutes.
    step('adding five dead cameras');
    for (let i = 1; i <= 5; i++) await call('cameras:add', { name: `Dock ${i}`, source: path.join(dataDir, `missing-${i}.mp4`) });
    await page.waitForSelector('[data-testid=flood-badge]', { timeout: 90_000 });
    await page.waitForSelector('[data-testid=flood-banner]');
    await poll('five offline alarms in the queue', async () => (await page.locator('[data-testid=alarm-queue] [data-testid=alarm-item][data-kind=health][data-status=new]').count()) === 5);
    // The P3 line alarm is folded away during the flood; the P2 ones stay on top.
    expect(await page.locator('[data-testid=toggle-lower]').getAttribute('data-folded')).toBe('1');
    expect(await page.locator('[data-testid=flood-badge]').innerText()).toMatch(/^Alarm flood: \d+ alarms in 10 min$/);
    await page.click('[data-testid=check-all-new]');
    expect(await page.locator('[data-testid=checked-count]').innerText()).toBe('5 selected');
    await page.waitForSelector('[data-testid=alarm-snapshot]', { timeout: 30_000 });
    await shot(page, 'alarm-queue-flood.png');
    await page.click('[data-testid=theme-toggle]');
    await shot(page, 'alarm-queue-flood-light.png');
    await page.click('[data-testid=theme-toggle]');

    // 3. Acknowledge the five together: five calls, five audit rows.
    const auditBefore = (await call<Array<{ action: string }>>('audit:list', { action: 'alarms:acknowledge', limit: 500 })).length;
    await page.click('[data-testid=acknowledge-checked]');
    expect(await page.locator('[data-testid=bulk-note]').innerText({ timeout: 30_000 })).toBe('5 alarms acknowledged.');
    await poll('no new offline alarm left', async () => (await page.locator('[data-testid=alarm-item][data-kind=health][data-status=new]').count()) === 0);
    const rows = await call<Array<{ action: string; actor: string; target: string | null }>>('audit:list', { action: 'alarms:acknowledge', limit: 500 });
    expect(rows.length - auditBefore).toBe(5);
    expect(new Set(rows.slice(0, 5).map((r) => r.target)).size).toBe(5);

    // 4. The flood clears once the window holds no more than the threshold (the alarm clock moves 11 minutes on).
    step('flood: moving the alarm clock 11 minutes on');
    advanceAlarmClock(11 * 60_000);
    await page.waitForSelector('[data-testid=flood-badge]', { state: 'detached', timeout: 30_000 });
    expect(await call<{ active: boolean }>('alarms:flood', {})).toMatchObject({ active: false });
    await shot(page, 'alarm-queue-after-flood.png');

    // 5. Shelve the line for 15 minutes: its repeats are held back and no alarm opens; the timer restores it.
    step('shelving the line');
    await alarms.select(lineAlarm.id);
    await page.click('[data-testid=alarm-shelve]');
    await page.selectOption('[data-testid=shelve-minutes]', '15');
    await page.fill('[data-testid=shelve-reason]', 'Crowd in the hall, line kept counting');
    await page.click('[data-testid=shelve-confirm]');
    await page.waitForSelector('[data-testid=shelf][data-rule-id=line-1]');
    await alarms.close('test', 'flood drill');
    await alarms.waitForStatus(lineAlarm.id, 'closed');
    const held = await poll('firings held back by the shelf', async () => (await call<Array<{ ruleId: string; heldBack: number }>>('alarms:shelves', {})).find((s) => s.ruleId === 'line-1' && s.heldBack >= 2), 180_000);
    step(`shelf held back ${held.heldBack} firings`);
    expect((await call<Alarm[]>('alarms:list', { status: 'open' })).filter((a) => a.ruleId === 'line-1')).toEqual([]);
    expect((await call<Array<{ action: string }>>('audit:list', { action: 'alarms:shelve', limit: 10 })).length).toBe(1);
    await page.waitForSelector('[data-testid=shelf][data-rule-id=line-1]:not([data-held-back="0"])');
    await page.click('[data-testid=check-none]');
    await page.locator('[data-testid=shelved-list]').scrollIntoViewIfNeeded();
    await shot(page, 'alarm-shelved.png');
    advanceAlarmClock(16 * 60_000);
    await page.waitForSelector('[data-testid=shelf]', { state: 'detached', timeout: 30_000 });
    const restored = await call<Array<{ actor: string; target: string; detail: { by?: string } }>>('audit:list', { action: 'alarms.unshelve', limit: 10 });
    expect(restored[0]).toMatchObject({ actor: 'system', target: `camera:${hall.id}/rule:line-1`, detail: { by: 'timer' } });
    step('shelf restored by the timer, waiting for the line to fire again');
    await alarms.waitForAlarm('[data-rule-id="line-1"][data-status=new]', 180_000);
    expect(session.pageErrors).toEqual([]);
  }, 600_000);
});
