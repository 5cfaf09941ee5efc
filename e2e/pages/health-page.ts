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

  /**
   * Waits until the cell under the column headed `column` (its visible text, e.g. "Decode ms") in a component's row
   * satisfies `pred`, and returns the cell's text.
   */
  async waitForCell(id: string, column: string, pred: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const heads = (await this.page.locator('[data-testid=health-table] thead th').allTextContents()).map((h) => h.trim());
      const col = heads.indexOf(column);
      const cells = this.page.locator(`[data-testid=health-row][data-component-id="${id}"] > *`);
      const last = col >= 0 && (await cells.count()) > col ? ((await cells.nth(col).textContent()) ?? '').trim() : null;
      if (last !== null && pred(last)) return last;
      if (Date.now() > until) throw new Error(`timed out waiting for "${column}" of ${id} (last: ${JSON.stringify(last)}; columns: ${heads.join(', ')})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits until a component row exists (for example `camera:<id>`) and returns it. */
  async waitForComponent(id: string, timeoutMs = 30_000): Promise<HealthRow> {
    await this.page.waitForSelector(`[data-testid=health-row][data-component-id="${id}"]`, { timeout: timeoutMs });
    return (await this.rows()).find((r) => r.id === id)!;
  }
}
