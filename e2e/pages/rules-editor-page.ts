import type { Page } from 'playwright-core';

/** Page object for the rule editor (opened from a live tile's "Edit rules"). Points are normalised 0..1. */
export class RulesEditorPage {
  constructor(readonly page: Page) {}

  /** Opens the editor of a camera from its live tile. */
  async openFromTile(cameraId: string): Promise<void> {
    await this.page.click(`[data-testid=camera-tile][data-camera-id="${cameraId}"] [data-testid=edit-rules]`);
    await this.page.waitForSelector(`[data-testid=rules-editor][data-camera-id="${cameraId}"]`);
  }

  async back(): Promise<void> {
    await this.page.click('[data-testid=rules-back]');
    await this.page.waitForSelector('[data-testid=live-page]');
  }

  async tool(mode: 'select' | 'line' | 'zone'): Promise<void> {
    await this.page.click(`[data-testid=tool-${mode}]`);
  }

  /** Page coordinates of a normalised frame point, through the stage's letterbox fit (data-fit). */
  async at(p: readonly [number, number]): Promise<[number, number]> {
    const stage = this.page.locator('[data-testid=rules-stage]');
    const [fx, fy, fw, fh] = ((await stage.getAttribute('data-fit')) ?? '0,0,0,0').split(',').map(Number) as [number, number, number, number];
    const bb = await stage.boundingBox();
    if (!bb) throw new Error('rules stage not visible');
    return [bb.x + fx + p[0] * fw, bb.y + fy + p[1] * fh];
  }

  async click(p: readonly [number, number], modifiers: ('Alt' | 'Shift')[] = []): Promise<void> {
    const [x, y] = await this.at(p);
    for (const m of modifiers) await this.page.keyboard.down(m);
    await this.page.mouse.click(x, y);
    for (const m of modifiers) await this.page.keyboard.up(m);
  }

  async drag(from: readonly [number, number], to: readonly [number, number]): Promise<void> {
    const [x0, y0] = await this.at(from);
    const [x1, y1] = await this.at(to);
    await this.page.mouse.move(x0, y0);
    await this.page.mouse.down();
    await this.page.mouse.move(x1, y1, { steps: 5 });
    await this.page.mouse.up();
  }

  async drawLine(p1: readonly [number, number], p2: readonly [number, number]): Promise<void> {
    await this.tool('line');
    await this.click(p1);
    await this.click(p2);
  }

  /** Draws a zone and closes it by clicking its first point. */
  async drawZone(points: readonly (readonly [number, number])[]): Promise<void> {
    await this.tool('zone');
    for (const p of points) await this.click(p);
    await this.click(points[0]!);
  }

  async ruleIds(): Promise<string[]> {
    return this.page.locator('[data-testid=rule-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule-id') ?? ''));
  }

  async problems(): Promise<string[]> {
    const list = this.page.locator('[data-testid=rules-problems] li');
    return list.allInnerTexts();
  }

  async canSave(): Promise<boolean> {
    return !(await this.page.locator('[data-testid=rules-save]').isDisabled());
  }

  /** Saves and waits until the editor shows no unsaved changes. */
  async save(): Promise<void> {
    await this.page.click('[data-testid=rules-save]');
    await this.page.waitForSelector('[data-testid=rules-editor][data-dirty=false]', { timeout: 15_000 });
  }

  /** The dry-run line of the selected rule, once the replay answered. */
  async dryRunText(): Promise<string> {
    return this.page.locator('[data-testid=dry-run-result]').innerText({ timeout: 15_000 });
  }

  /** Codes of the count-quality warnings shown beside the selected rule ([] when it has none). */
  async qualityCodes(): Promise<string[]> {
    await this.page.waitForSelector('[data-testid=quality-warnings], [data-testid=quality-ok]', { timeout: 15_000 });
    return this.page.locator('[data-testid=quality-warnings] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
  }

  async undo(): Promise<void> {
    await this.page.keyboard.press('Control+z');
  }
}
