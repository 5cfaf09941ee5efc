import type { Page } from 'playwright-core';
import { confirmIfAsked } from '../support/browser';
import { RulesEditorPage } from './rules-editor-page';

/** Page object for the privacy-mask layer of the rule editor. Points are normalised 0..1. */
export class MasksEditorPage extends RulesEditorPage {
  constructor(page: Page) {
    super(page);
  }

  /** Saves the rules and masks; saving masks asks for the password again (`masks:save`). */
  override async save(password?: string): Promise<void> {
    await this.page.click('[data-testid=rules-save]');
    await confirmIfAsked(this.page, password);
    await this.page.waitForSelector('[data-testid=rules-editor][data-dirty=false]', { timeout: 15_000 });
  }

  async layer(which: 'rules' | 'masks'): Promise<void> {
    await this.page.click(`[data-testid=layer-${which}]`);
    await this.page.waitForSelector(`[data-testid=rules-stage][data-layer=${which}]`);
  }

  /** Draws a mask with the zone tool and closes it on its first point. */
  async drawMask(points: readonly (readonly [number, number])[]): Promise<void> {
    await this.tool('zone');
    for (const p of points) await this.click(p);
    await this.click(points[0]!);
  }

  async maskIds(): Promise<string[]> {
    return this.page.locator('[data-testid=mask-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-mask-id') ?? ''));
  }

  async select(maskId: string): Promise<void> {
    await this.page.click(`[data-testid=mask-item][data-mask-id="${maskId}"]`);
    await this.page.waitForSelector('[data-testid=mask-properties]');
  }

  /** Lifts the selected mask; lifting asks for the password (and a second user when the site's four-eyes rule covers it). */
  async lift(minutes: number, reason: string, password?: string, approver?: { name: string; password: string }): Promise<void> {
    await this.page.fill('[data-testid=mask-lift-minutes]', String(minutes));
    await this.page.fill('[data-testid=mask-lift-reason]', reason);
    await this.page.click('[data-testid=mask-lift]');
    await confirmIfAsked(this.page, password, approver);
    await this.page.waitForSelector('[data-testid=mask-lifted]');
  }

  async restore(): Promise<void> {
    await this.page.click('[data-testid=mask-restore]');
    await this.page.waitForSelector('[data-testid=mask-lift-form]');
  }

  /**
   * Luma statistics of the live picture painted on the editor's video canvas inside a normalised rectangle
   * (read back from the canvas: what the officer sees).
   */
  async pictureStats(x0: number, y0: number, x1: number, y1: number): Promise<{ max: number; mean: number }> {
    const stage = this.page.locator('[data-testid=rules-stage]');
    const fit = ((await stage.getAttribute('data-fit')) ?? '0,0,0,0').split(',').map(Number);
    return stage.evaluate(
      (el, a) => {
        const canvas = el.querySelector('canvas');
        const ctx = canvas?.getContext('2d');
        if (!canvas || !ctx) return { max: -1, mean: -1 };
        const ratio = canvas.width / el.clientWidth;
        const [fx, fy, fw, fh] = a.fit as [number, number, number, number];
        // Stay a few pixels inside: the mask edge and JPEG blocks blur by a pixel or two.
        const sx = Math.ceil((fx + a.x0 * fw) * ratio) + 4;
        const sy = Math.ceil((fy + a.y0 * fh) * ratio) + 4;
        const w = Math.floor((a.x1 - a.x0) * fw * ratio) - 8;
        const h = Math.floor((a.y1 - a.y0) * fh * ratio) - 8;
        const d = ctx.getImageData(sx, sy, w, h).data;
        let max = 0;
        let sum = 0;
        for (let i = 0; i < d.length; i += 4) {
          const v = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
          max = Math.max(max, v);
          sum += v;
        }
        return { max, mean: sum / (d.length / 4) };
      },
      { fit, x0, y0, x1, y1 },
    );
  }
}

/** Page object for Settings → Retention. */
export class RetentionSettingsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-settings]');
    await this.page.waitForSelector('[data-testid=retention-section] [data-testid=retention-save]');
  }

  async setDays(kind: 'eventsDays' | 'snapshotsDays' | 'tracksDays' | 'reportsDays', days: number | null): Promise<void> {
    const forever = this.page.locator(`[data-testid=retention-${kind}-forever]`);
    if ((await forever.isChecked()) !== (days === null)) await forever.click();
    if (days !== null) await this.page.fill(`[data-testid=retention-${kind}]`, String(days));
  }

  /** Saves the policy; `retention:set` asks for the password again. */
  async save(password?: string): Promise<void> {
    await this.page.click('[data-testid=retention-save]');
    await confirmIfAsked(this.page, password);
    await this.page.waitForSelector('[data-testid=retention-message]');
  }

  /** Runs retention now and returns the last-run summary shown. */
  async runNow(): Promise<string> {
    const before = await this.page.locator('[data-testid=retention-summary]').count();
    await this.page.click('[data-testid=retention-run]');
    if (!before) await this.page.waitForSelector('[data-testid=retention-summary]', { timeout: 15_000 });
    return this.page.locator('[data-testid=retention-summary]').innerText();
  }
}
