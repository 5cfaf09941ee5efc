import type { Page } from 'playwright-core';

/** Page object for the live view's layout controls (presets, drag into tiles, save, restore). */
export class LayoutBar {
  constructor(readonly page: Page) {}

  async preset(grid: '1' | '2x2' | '3x3' | '4x4'): Promise<void> {
    await this.page.click(`[data-testid=layout-preset-${grid}]`);
    await this.page.waitForSelector(`[data-testid=layout-grid][data-grid="${grid}"]`);
  }

  tile(index: number) {
    return this.page.locator(`[data-testid=layout-tile][data-index="${index}"]`);
  }

  /** Drags a camera chip into a tile (HTML5 drag and drop). */
  async dragCamera(cameraId: string, index: number): Promise<void> {
    await this.page.dragAndDrop(`[data-testid=camera-chip][data-camera-id="${cameraId}"]`, `[data-testid=layout-tile][data-index="${index}"]`);
    await this.page.waitForSelector(`[data-testid=layout-tile][data-index="${index}"][data-camera-id="${cameraId}"]`, { timeout: 10_000 });
  }

  async save(name: string): Promise<void> {
    await this.page.fill('[data-testid=layout-name]', name);
    await this.page.click('[data-testid=layout-save]');
  }

  /** Camera id per tile, in tile order ('' = empty). */
  async tiles(): Promise<string[]> {
    return this.page.locator('[data-testid=layout-tile]').evaluateAll((els) => els.map((e) => e.getAttribute('data-camera-id') ?? ''));
  }
}
