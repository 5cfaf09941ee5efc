import type { Page } from 'playwright-core';
import { confirmIfAsked, E2E_ADMIN } from '../support/browser';

/** Page object for the Export (sinks) page. */
export class ExportPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-export]');
    await this.page.waitForSelector('[data-testid=export-page]');
  }

  /** Adds an HTTPS sink through the form; saving a sink is sensitive, so it types `password` into the confirm dialog. */
  async addHttpsSink(o: { name: string; site: string; url: string; token: string; caPem: string; backlogAlarmEvents?: number }, password: string = E2E_ADMIN.password): Promise<void> {
    await this.page.click('[data-testid=export-add]');
    const form = this.page.locator('[data-testid=sink-form]');
    await form.locator('input[name=name]').fill(o.name);
    await form.locator('input[name=site]').fill(o.site);
    await form.locator('input[name=url]').fill(o.url);
    await form.locator('select[name=auth]').selectOption('bearer');
    await form.locator('input[name=secret]').fill(o.token);
    await form.locator('textarea[name=caPem]').fill(o.caPem);
    if (o.backlogAlarmEvents !== undefined) await form.locator('input[name=backlogAlarmEvents]').fill(String(o.backlogAlarmEvents));
    await this.save(password);
  }

  /** Saves the open sink form, answers the password dialog, and waits until the form closed. */
  async save(password: string = E2E_ADMIN.password): Promise<void> {
    await this.page.locator('[data-testid=sink-form] [data-testid=sink-save]').click();
    await confirmIfAsked(this.page, password);
    await this.page.waitForSelector('[data-testid=sink-form]', { state: 'detached', timeout: 10_000 });
  }

  /** Clicks Test on the row and returns the message shown. */
  async test(name: string): Promise<string> {
    const row = this.row(name);
    await row.locator('[data-testid=export-test]').click();
    const result = row.locator('[data-testid=export-test-result]');
    await this.page.waitForFunction((el) => !!el && !/Testing/.test((el as { textContent: string | null }).textContent ?? ''), await result.elementHandle(), { timeout: 20_000 });
    return (await result.innerText()).trim();
  }

  row(name: string) {
    return this.page.locator('[data-testid=export-row]', { hasText: name });
  }

  async saveError(): Promise<string> {
    return (await this.page.locator('[data-testid=sink-form-error]').innerText()).trim();
  }
}
