import type { Page } from 'playwright-core';

/** One row of the health table as the officer sees it. */
export interface HealthRow {
  id: string;
  level: string;
  text: string;
}

/** Page object for the Health page. */
export class HealthPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-health]');
    await this.page.waitForSelector('[data-testid=health-table]', { timeout: 15_000 });
  }

  async overallLevel(): Promise<string | null> {
    return this.page.locator('[data-testid=health-overall]').getAttribute('data-level');
  }

  async rows(): Promise<HealthRow[]> {
    return this.page
      .locator('[data-testid=health-row]')
      .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-component-id') ?? '', level: e.getAttribute('data-level') ?? '', text: (e as unknown as { innerText: string }).innerText })));
  }

  /** Waits until a component row exists (for example `camera:<id>`) and returns it. */
  async waitForComponent(id: string, timeoutMs = 30_000): Promise<HealthRow> {
    await this.page.waitForSelector(`[data-testid=health-row][data-component-id="${id}"]`, { timeout: timeoutMs });
    return (await this.rows()).find((r) => r.id === id)!;
  }
}
