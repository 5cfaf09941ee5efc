import type { Page } from 'playwright-core';

/** Page object for the events review (virtualised list). */
export class EventsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-events]');
    await this.page.waitForSelector('[data-testid=events-page]');
  }

  async loaded(): Promise<{ count: number; done: boolean }> {
    const el = this.page.locator('[data-testid=events-count]');
    return { count: Number(await el.getAttribute('data-count')), done: (await el.getAttribute('data-done')) === 'true' };
  }

  /** Rows in the DOM right now (virtualised: only those near the viewport). */
  async renderedRows(): Promise<number> {
    return this.page.locator('[data-testid=event-row]').count();
  }

  /**
   * Scrolls to the bottom again and again until every page is loaded (bounded by rounds and time); returns the
   * largest number of rows that were in the DOM at once.
   */
  async scrollToEnd(maxRounds = 400, timeoutMs = 240_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    let maxRendered = 0;
    for (let i = 0; i < maxRounds && Date.now() < until; i++) {
      await this.page.locator('[data-testid=events-scroll]').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await this.page.waitForTimeout(60);
      maxRendered = Math.max(maxRendered, await this.renderedRows());
      if ((await this.loaded()).done) break;
    }
    await this.page.locator('[data-testid=events-scroll]').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    return maxRendered;
  }
}
