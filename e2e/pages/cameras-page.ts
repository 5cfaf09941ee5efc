import type { Page } from 'playwright-core';
import { confirmIfAsked, E2E_ADMIN } from '../support/browser';

/** Values typed into the camera form; unset fields keep their defaults. */
export interface CameraFormInput {
  name: string;
  source: string;
  analysisFps?: number;
  enabled?: boolean;
  rtspTransport?: 'tcp' | 'udp';
  modelId?: string;
}

/** Page object for the Cameras page. */
export class CamerasPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.click('[data-testid=nav-cameras]');
    await this.page.waitForSelector('[data-testid=cameras-page]');
  }

  row(name: string) {
    return this.page.locator('[data-testid=camera-row]', { has: this.page.locator(`th:text-is("${name}")`) });
  }

  /** Fills the form and saves; resolves once the form closed (saved) or an error shows. */
  async fillAndSave(v: CameraFormInput): Promise<void> {
    const form = this.page.locator('[data-testid=camera-form]');
    await form.locator('input[name=name]').fill(v.name);
    await form.locator('input[name=source]').fill(v.source);
    if (v.rtspTransport) await form.locator('select[name=rtspTransport]').selectOption(v.rtspTransport);
    if (v.analysisFps !== undefined) await form.locator('input[name=analysisFps]').fill(String(v.analysisFps));
    if (v.enabled !== undefined) await form.locator('input[name=enabled]').setChecked(v.enabled);
    if (v.modelId !== undefined) await form.locator('select[name=modelId]').selectOption(v.modelId);
    await form.locator('[data-testid=camera-save]').click();
    await Promise.race([form.waitFor({ state: 'detached', timeout: 15_000 }), form.locator('[role=alert]').first().waitFor({ timeout: 15_000 })]);
  }

  /** Adds a camera through the form; returns its id from the list. */
  async addCamera(v: CameraFormInput): Promise<string> {
    await this.page.click('[data-testid=camera-add]');
    await this.fillAndSave(v);
    const errors = await this.formErrors();
    if (errors.length) throw new Error(`camera form refused: ${errors.join('; ')}`);
    const row = this.row(v.name);
    await row.waitFor({ timeout: 15_000 });
    return (await row.getAttribute('data-camera-id'))!;
  }

  /** Messages shown in the open form (general and per field). */
  async formErrors(): Promise<string[]> {
    return this.page.locator('[data-testid=camera-form] [role=alert]').allInnerTexts();
  }

  async stateOf(name: string): Promise<string | null> {
    return this.row(name).locator('[data-testid=camera-state]').getAttribute('data-state');
  }

  async waitForState(name: string, state: string, timeoutMs = 60_000): Promise<void> {
    await this.row(name).locator(`[data-testid=camera-state][data-state="${state}"]`).waitFor({ timeout: timeoutMs });
  }

  async names(): Promise<string[]> {
    return this.page.locator('[data-testid=camera-row] th').allInnerTexts();
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.row(name).locator('[data-testid=camera-enabled]').setChecked(enabled);
  }

  /** Removes a camera (a sensitive action: the admin's password is typed again in the confirm dialog). */
  async remove(name: string, password: string = E2E_ADMIN.password): Promise<void> {
    await this.row(name).locator('[data-testid=camera-remove]').click();
    await this.row(name).locator('[data-testid=confirm-remove]').click();
    await confirmIfAsked(this.page, password);
    await this.row(name).waitFor({ state: 'detached', timeout: 15_000 });
  }
}
