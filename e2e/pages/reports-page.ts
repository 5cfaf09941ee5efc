import type { Page } from 'playwright-core';
import { confirmIfAsked } from '../support/browser';

/** Page object for the Reports page (dashboard, exports, occurrence book). */
export class ReportsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-reports]');
    await this.page.waitForSelector('[data-testid=reports-page]', { timeout: 15_000 });
  }

  /** Shows a report of a type for a day (yyyy-mm-dd) and waits for the dashboard of that period. */
  async show(type: 'daily' | 'weekly' | 'monthly', day: string): Promise<void> {
    await this.page.selectOption('[data-testid=report-type]', type);
    await this.page.fill('[data-testid=report-from]', day);
    const dash = this.page.locator('[data-testid=dashboard]');
    // The page loads the last (or today's) report when it opens: let that one land first, or it could be taken for
    // the one asked for below.
    await dash.waitFor({ timeout: 10_000 }).catch(() => undefined);
    const before = (await dash.count()) ? await dash.getAttribute('data-generated-at') : null;
    await this.page.click('[data-testid=report-show]');
    // A new build has a new generation time.
    await this.page.locator(before ? `[data-testid=dashboard]:not([data-generated-at="${before}"])` : '[data-testid=dashboard]').waitFor({ timeout: 30_000 });
  }

  async kpi(kind: 'in' | 'out' | 'enter' | 'exit' | 'alarms'): Promise<number> {
    return Number(await this.page.locator(`[data-testid=kpi-${kind}]`).getAttribute('data-value'));
  }

  /** The totals table as rule id -> [in, out, enter, exit, alarms]. */
  async totals(): Promise<Record<string, number[]>> {
    type Cell = { textContent: string | null };
    type Row = { getAttribute(n: string): string | null; querySelectorAll(s: string): ArrayLike<Cell> };
    return this.page.locator('[data-testid=totals-row]').evaluateAll((rows) =>
      Object.fromEntries(
        (rows as unknown as Row[]).map((r) => [
          r.getAttribute('data-rule') ?? '',
          Array.from(r.querySelectorAll('td.num'))
            .slice(0, 5)
            .map((c) => Number(c.textContent)),
        ]),
      ),
    );
  }

  /**
   * Clicks an export button, answers the password dialog (`reports:export`; with `approver` when the site's
   * four-eyes rule covers it) and waits for the export's final state; returns it with the file.
   */
  async export(button: 'export-pdf' | 'export-csv' | 'export-events', timeoutMs = 60_000, password?: string, approver?: { name: string; password: string }): Promise<{ state: string; file: string }> {
    await this.page.click(`[data-testid=${button}]`);
    await confirmIfAsked(this.page, password, approver);
    const result = this.page.locator('[data-testid=export-result]');
    await result.waitFor({ timeout: timeoutMs });
    return { state: (await result.getAttribute('data-state')) ?? '', file: (await result.getAttribute('data-file')) ?? '' };
  }

  async openBook(): Promise<void> {
    await this.page.click('[data-testid=reports-tab-book]');
    await this.page.waitForSelector('[data-testid=occurrence-book]', { timeout: 15_000 });
  }

  async addEntry(text: string): Promise<void> {
    const n = await this.page.locator('[data-testid=book-entry]').count();
    await this.page.fill('[data-testid=book-text]', text);
    await this.page.click('[data-testid=book-add]');
    await this.page.locator('[data-testid=book-entry]').nth(n).waitFor({ timeout: 15_000 });
  }

  async entries(): Promise<string[]> {
    return this.page.locator('[data-testid=book-entry] td:nth-child(3)').allTextContents();
  }

  /** Signs the shift off; `reports:shift-sign-off` asks for the signed-in user's password again. */
  async signOff(note: string, password?: string): Promise<string> {
    await this.page.fill('[data-testid=signoff-note]', note);
    await this.page.click('[data-testid=signoff]');
    await confirmIfAsked(this.page, password);
    const done = this.page.locator('[data-testid=signed-off]');
    await done.waitFor({ timeout: 15_000 });
    return (await done.textContent()) ?? '';
  }
}
