import type { Page } from 'playwright-core';

/** One model row as the officer sees it. */
export interface ModelRow {
  id: string;
  running: boolean;
  text: string;
}

/** Page object for the Models page. */
export class ModelsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-models]');
    await this.page.waitForSelector('[data-testid=models-page]');
  }

  /** The detection status line (which model runs, licence, source, hints). */
  async statusText(): Promise<string> {
    return (await this.page.locator('[data-testid=models-detection-status]').innerText()).trim();
  }

  async rows(): Promise<ModelRow[]> {
    await this.page.waitForSelector('[data-testid=model-row]', { timeout: 15_000 });
    return this.page
      .locator('[data-testid=model-row]')
      .evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-model-id') ?? '', running: !!e.querySelector('[data-testid=model-running]'), text: (e as unknown as { innerText: string }).innerText })));
  }
}
