import type { Page } from 'playwright-core';

/** The bit of the DOM these page functions use (the e2e tsconfig has no DOM types). */
interface Doc {
  querySelector(sel: string): { getAttribute(name: string): string | null } | null;
}

export interface Credentials {
  name: string;
  password: string;
}

/** Page object for sign-in, the lock screen, the confirm dialog, and the Users and Audit pages. */
export class AccountsPage {
  constructor(readonly page: Page) {}

  /** The pages the menu offers (their data-testid suffix), in order. */
  async navItems(): Promise<string[]> {
    const ids = await this.page.locator('nav [data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice(4)));
    return ids;
  }

  /** The `data-seq` of an error element now ('' when none): a new answer changes it. */
  private seq(selector: string): Promise<string> {
    return this.page.evaluate((sel) => (globalThis as unknown as { document: Doc }).document.querySelector(sel)?.getAttribute('data-seq') ?? '', selector);
  }

  /** Waits until `done` matches or the error at `errorSel` shows a new answer; null when done, else the error text. */
  private async outcome(done: string, errorSel: string, before: string): Promise<string | null> {
    const r = await this.page.waitForFunction(
      ([d, e, b]) => {
        const doc = (globalThis as unknown as { document: Doc }).document;
        if (doc.querySelector(d!)) return 'done';
        const el = doc.querySelector(e!);
        return el && el.getAttribute('data-seq') !== b ? 'error' : null;
      },
      [done, errorSel, before] as const,
      { timeout: 20_000, polling: 100 },
    );
    return (await r.jsonValue()) === 'done' ? null : this.page.textContent(errorSel);
  }

  /** Submits the sign-in form; resolves null once signed in (the app, or "Choose your own password"), else the error shown. */
  async tryLogin(c: Credentials): Promise<string | null> {
    const form = this.page.locator('[data-testid=auth-login]');
    await form.waitFor({ timeout: 15_000 });
    const before = await this.seq('[data-testid=auth-error]');
    await form.locator('input[name=name]').fill(c.name);
    await form.locator('input[name=password]').fill(c.password);
    await form.locator('[data-testid=auth-submit]').click();
    return this.outcome('[data-testid=connection-status], [data-testid=choose-password]', '[data-testid=auth-login] [data-testid=auth-error]', before);
  }

  /** Fills "Choose your own password" (temporary, new, new again); null once the app opened, else the error shown. */
  async chooseOwnPassword(current: string, next: string, again = next): Promise<string | null> {
    const form = this.page.locator('[data-testid=choose-password]');
    await form.waitFor({ timeout: 15_000 });
    const before = await this.seq('[data-testid=choose-password] [data-testid=auth-error]');
    await form.locator('input[name=current]').fill(current);
    await form.locator('input[name=next]').fill(next);
    await form.locator('input[name=again]').fill(again);
    await form.locator('[data-testid=choose-password-submit]').click();
    return this.outcome('[data-testid=connection-status]', '[data-testid=choose-password] [data-testid=auth-error]', before);
  }

  /** Users page: opens a user's "Set temporary password" form and submits it (the confirm dialog follows). */
  async setTemporaryPassword(name: string, password: string): Promise<void> {
    await this.page.locator(`[data-testid=user-row][data-user="${name}"] [data-testid=user-reset-password]`).click();
    const form = this.page.locator('[data-testid=user-reset-form]');
    await form.locator('input[name=password]').fill(password);
    await form.locator('[data-testid=user-reset-save]').click();
  }

  async signOut(): Promise<void> {
    await this.page.click('[data-testid=sign-out]');
    await this.page.waitForSelector('[data-testid=auth-login]');
  }

  async openUsers(): Promise<void> {
    await this.page.click('[data-testid=nav-users]');
    await this.page.waitForSelector('[data-testid=users-table]');
  }

  async openAudit(): Promise<void> {
    await this.page.click('[data-testid=nav-audit]');
    await this.page.waitForSelector('[data-testid=audit-table]');
  }

  /** "intact" or "broken" once the chain was checked. */
  async auditVerdict(): Promise<string | null> {
    return (await this.page.waitForSelector('[data-testid=audit-verdict]')).getAttribute('data-state');
  }

  /** The text of the newest audit row of an action mentioning `text`. */
  async auditRow(action: string, text: string): Promise<string> {
    const row = this.page.locator(`[data-testid=audit-row][data-action="${action}"]`, { hasText: text }).first();
    await row.waitFor({ timeout: 15_000 });
    return row.innerText();
  }

  async fillNewUser(name: string, role: string, password: string): Promise<void> {
    const form = this.page.locator('[data-testid=user-form]');
    await form.locator('input[name=name]').fill(name);
    await form.locator('select[name=role]').selectOption(role);
    await form.locator('input[name=password]').fill(password);
    await form.locator('[data-testid=user-create]').click();
  }

  async setIdleLockMinutes(minutes: number): Promise<void> {
    const form = this.page.locator('[data-testid=policy-form]');
    await form.locator('input[name=idleLockMinutes]').fill(String(minutes));
    await form.locator('[data-testid=policy-save]').click();
  }

  /** Waits for the confirm dialog; its kind (password or four-eyes). */
  async waitForConfirm(): Promise<string | null> {
    return (await this.page.waitForSelector('[data-testid=confirm-dialog]', { timeout: 15_000 })).getAttribute('data-kind');
  }

  /** Fills and submits the confirm dialog; null once it closed, else its error. */
  async confirm(password: string, approver?: Credentials): Promise<string | null> {
    const d = this.page.locator('[data-testid=confirm-dialog]');
    await d.waitFor({ timeout: 15_000 });
    const before = await this.seq('[data-testid=confirm-error]');
    await d.locator('input[name=password]').fill(password);
    if (approver) {
      await d.locator('input[name=approver]').fill(approver.name);
      await d.locator('input[name=approverPassword]').fill(approver.password);
    }
    await d.locator('[data-testid=confirm-submit]').click();
    return this.outcome('body:not(:has([data-testid=confirm-dialog]))', '[data-testid=confirm-error]', before);
  }

  /** Types the password on the lock screen; null once unlocked, else the error. */
  async unlock(password: string): Promise<string | null> {
    const lock = this.page.locator('[data-testid=lock-screen]');
    await lock.waitFor({ timeout: 15_000 });
    const before = await this.seq('[data-testid=lock-screen] [data-testid=auth-error]');
    await lock.locator('input[name=password]').fill(password);
    await lock.locator('[data-testid=unlock-submit]').click();
    return this.outcome('body:not(:has([data-testid=lock-screen]))', '[data-testid=lock-screen] [data-testid=auth-error]', before);
  }
}
