import type { Page } from 'playwright-core';

/** Mirror of the renderer's per-tile debug record (app/renderer/src/live/tile-debug.ts). */
export interface TileDebug {
  paintedFrames: number;
  lastSeq: number | null;
  lastPts: number | null;
  lastPaintedAt: number | null;
  overlayMatches: number;
  overlayTotal: number;
  boxesPainted: number;
  lastBoxes: number;
  hud: string;
}

/** Page object for the Live view. */
export class LivePage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-live]');
    await this.page.waitForSelector('[data-testid=live-page]');
  }

  tile(cameraId: string) {
    return this.page.locator(`[data-testid=camera-tile][data-camera-id="${cameraId}"]`);
  }

  /** Waits until the tile shows the given lifecycle state (data-state). */
  async waitForState(cameraId: string, state: string, timeoutMs = 60_000): Promise<void> {
    await this.page.waitForSelector(`[data-testid=camera-tile][data-camera-id="${cameraId}"][data-state="${state}"]`, { timeout: timeoutMs });
  }

  async tileDebug(cameraId: string): Promise<TileDebug | null> {
    return this.page.evaluate((id) => (globalThis as unknown as { __watchroomDebug?: { tiles: Record<string, TileDebug> } }).__watchroomDebug?.tiles[id] ?? null, cameraId);
  }

  /** Waits until the tile painted at least `n` more frames than `after` (bounded by timeoutMs). */
  async waitForPaintedFrames(cameraId: string, n: number, after = 0, timeoutMs = 30_000): Promise<TileDebug> {
    await this.page.waitForFunction(
      ([id, min]) => ((globalThis as unknown as { __watchroomDebug?: { tiles: Record<string, { paintedFrames: number }> } }).__watchroomDebug?.tiles[id as string]?.paintedFrames ?? 0) >= (min as number),
      [cameraId, after + n] as const,
      { timeout: timeoutMs, polling: 200 },
    );
    return (await this.tileDebug(cameraId))!;
  }

  /** Polls the page's own debug record of the tile until `check` holds (bounded by timeoutMs). */
  async waitForTile(cameraId: string, check: (t: TileDebug) => boolean, what: string, timeoutMs = 30_000): Promise<TileDebug> {
    const until = Date.now() + timeoutMs;
    let last: TileDebug | null = null;
    while (Date.now() < until) {
      last = await this.tileDebug(cameraId);
      if (last && check(last)) return last;
      await this.page.waitForTimeout(200);
    }
    throw new Error(`tile ${cameraId}: timed out waiting for ${what}; last ${JSON.stringify(last)}`);
  }

  async setOverlay(which: 'boxes' | 'labels', on: boolean): Promise<void> {
    await this.page.setChecked(`[data-testid=toggle-${which}]`, on);
  }
}
