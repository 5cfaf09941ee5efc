import type { Page } from 'playwright-core';

/** Mirror of the renderer's alarm alert record (app/renderer/src/alarms/alarm-alerts.ts). */
export interface AlarmAlertLog {
  sounds: Array<{ alarmId: string; priority: number; action: string; at: number; tones: number; audioState: string }>;
  notifications: Array<{ alarmId: string; title: string; body: string; at: number; permission: string; shown: boolean }>;
}

/** Page object for the alarm queue (Alarms page). */
export class AlarmsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-alarms]');
    await this.page.waitForSelector('[data-testid=alarms-page]');
  }

  item(filter: string) {
    return this.page.locator(`[data-testid=alarm-item]${filter}`);
  }

  /** Waits for an open alarm matching the attribute filter (e.g. `[data-type="zone.intrusion"]`); returns its id. */
  async waitForAlarm(filter: string, timeoutMs = 90_000): Promise<string> {
    const el = await this.page.waitForSelector(`[data-testid=alarm-queue] [data-testid=alarm-item]${filter}`, { timeout: timeoutMs });
    return (await el.getAttribute('data-alarm-id')) ?? '';
  }

  async select(id: string): Promise<void> {
    await this.page.click(`[data-testid=alarm-item][data-alarm-id="${id}"]`);
    await this.page.waitForSelector(`[data-testid=alarm-detail][data-alarm-id="${id}"]`);
  }

  async status(id: string): Promise<string | null> {
    return this.page.locator(`[data-testid=alarm-detail][data-alarm-id="${id}"]`).getAttribute('data-status');
  }

  async waitForStatus(id: string, status: string): Promise<void> {
    await this.page.waitForSelector(`[data-testid=alarm-detail][data-alarm-id="${id}"][data-status="${status}"]`, { timeout: 15_000 });
  }

  async arm(cameraId: string, ruleId: string, priority: number): Promise<void> {
    const row = this.page.locator(`[data-testid=arming-camera][data-camera-id="${cameraId}"] [data-testid=arming-rule][data-rule-id="${ruleId}"]`);
    await row.locator('[data-testid=arming-priority]').selectOption(String(priority));
    await this.page.waitForSelector(`[data-testid=arming-camera][data-camera-id="${cameraId}"] [data-testid=arming-rule][data-rule-id="${ruleId}"][data-armed=true]`, { timeout: 15_000 });
  }

  async setEscalateAfter(seconds: number): Promise<void> {
    const input = this.page.locator('[data-testid=escalate-after]');
    await input.fill(String(seconds));
    await input.press('Enter');
  }

  /** Opens the close dialog and confirms with this outcome (null: none chosen) and comment. */
  async close(outcome: 'true-alarm' | 'false-alarm' | 'test' | null, comment = ''): Promise<void> {
    if (!(await this.page.locator('[data-testid=close-dialog]').count())) await this.page.click('[data-testid=alarm-close]');
    if (outcome) await this.page.check(`[data-testid=outcome-${outcome}]`);
    await this.page.fill('[data-testid=close-comment]', comment);
    await this.page.click('[data-testid=confirm-close]');
  }

  async errorText(): Promise<string> {
    return this.page.locator('[data-testid=alarm-error]').innerText({ timeout: 10_000 });
  }

  async history(): Promise<Array<{ action: string; by: string; at: string }>> {
    return this.page.locator('[data-testid=alarm-history-entry]').evaluateAll((els) => els.map((e) => ({ action: e.getAttribute('data-action') ?? '', by: e.getAttribute('data-by') ?? '', at: e.getAttribute('data-at') ?? '' })));
  }

  async falseAlarmRate(ruleId: string): Promise<string> {
    return this.page.locator(`[data-testid=rule-stat][data-rule-id="${ruleId}"] [data-testid=rule-stat-rate]`).innerText({ timeout: 10_000 });
  }

  async alertLog(): Promise<AlarmAlertLog> {
    return this.page.evaluate(() => (globalThis as unknown as { __watchroomAlarmLog?: AlarmAlertLog }).__watchroomAlarmLog ?? { sounds: [], notifications: [] });
  }
}
