import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../test/support/shared-fixtures';
import type { TestSocket } from '../app/server/test-socket.test-support';
import { AccountsPage } from './pages/accounts-page';
import { LayoutBar } from './pages/layouts';
import { ARTIFACTS, E2E_ADMIN, ensureBuilt, launchChromium, openApp as openAppIn, signIn } from './support/browser';
import { adminApi, createReadyUser, startHeadlessHost, type TestHost } from './support/headless-host';

/** axe-core's browser build, evaluated in the page (no script tag: the page's CSP would rightly refuse one). */
const AXE_SOURCE = fs.readFileSync(path.join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
/** WCAG 2.1 levels A and AA, as axe-core tags them. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const SHOTS = path.join(ARTIFACTS, 'a11y');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let host: TestHost;
let browser: Browser;
let api: TestSocket;
const pageErrors: string[] = [];
let cam: { id: string };
const OFFICER = { name: 'olive', password: 'e2e-officer-password' };
const openApp = (user?: { name: string; password: string }): Promise<Page> => openAppIn(browser, host.url, pageErrors, user);

async function must<T>(channel: string, input?: unknown): Promise<T> {
  const r = await api.invoke(channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** Runs axe-core (WCAG 2.1 A/AA) on the page as it is now; returns every violation with its impact. */
async function scan(page: Page): Promise<Violation[]> {
  const loaded = await page.evaluate('typeof globalThis.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const doc = (globalThis as unknown as { document: unknown }).document;
    const r = await axe.run(doc, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, WCAG_TAGS);
}

/** Opens a page of the menu and waits until its section is on screen and the first answers had time to arrive. */
async function visit(page: Page, id: string): Promise<void> {
  await page.click(`[data-testid=nav-${id}]`);
  await page.waitForSelector('main section.page, section.page', { timeout: 15_000 });
  await page.waitForSelector('[data-testid=connection-status][data-state=open]');
  // The page's lists and figures arrive over the socket: give them a moment, so the scan sees the filled page.
  await page.waitForTimeout(800);
}

async function setTheme(page: Page, theme: 'dark' | 'light'): Promise<void> {
  const now = await page.evaluate('document.documentElement.dataset.theme');
  if (now !== theme) await page.click('[data-testid=theme-toggle]');
  await page.waitForFunction((t) => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme === t, theme);
}

const serious = (vs: Violation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');

beforeAll(async () => {
  ensureBuilt();
  host = await startHeadlessHost();
  browser = await launchChromium();
  api = await adminApi(host);
  cam = await must<{ id: string }>('cameras:add', { name: 'Front door', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 2 });
  await must('rules:save', { cameraId: cam.id, rules: [{ id: 'line-1', name: 'Entry line', type: 'line', points: [[0.1, 0.6], [0.9, 0.6]], anchor: 'center' }] });
  await createReadyUser(host, api, OFFICER, 'officer');
  // One person on the face watchlist, so its page is scanned with a filled list.
  await must('auth:elevate', { channel: 'faces:enrol', password: E2E_ADMIN.password });
  await must('faces:enrol', { name: 'Lisa Example', category: 'banned', expiresAt: null, photos: [fs.readFileSync(fixtures.faces('identities', 'lisa', '1.jpg')).toString('base64')] });
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  api?.close();
  await browser?.close();
  await host?.stop();
});

describe('accessibility: axe-core (WCAG 2.1 A/AA) on every page, both themes (headless host + Chromium)', () => {
  it('finds no serious or critical violation on any page of the admin menu, the rule editor or the alarm monitor', async () => {
    const page = await openApp();
    const menu = await new AccountsPage(page).navItems();
    expect(menu.length).toBeGreaterThan(5);
    expect(menu).toContain('watchlist');
    const found: Record<string, Violation[]> = {};
    const minor: Record<string, string[]> = {};
    for (const theme of ['dark', 'light'] as const) {
      await setTheme(page, theme);
      for (const id of menu) {
        await visit(page, id);
        const vs = await scan(page);
        await page.screenshot({ path: path.join(SHOTS, `${id}-${theme}.png`) });
        const bad = serious(vs);
        if (bad.length) found[`${id} (${theme})`] = bad;
        if (vs.length > bad.length) minor[`${id} (${theme})`] = vs.filter((v) => !bad.includes(v)).map((v) => `${v.id} (${v.impact})`);
      }
      // The rule editor, opened from a live tile.
      await visit(page, 'live');
      await page.click('[data-testid=camera-tile] [data-testid=edit-rules]');
      await page.waitForSelector('[data-testid=rules-editor]');
      await page.click('[data-testid=rule-item]');
      await page.waitForSelector('[data-testid=rule-properties]');
      await page.waitForTimeout(800);
      const editor = await scan(page);
      await page.screenshot({ path: path.join(SHOTS, `rules-editor-${theme}.png`) });
      if (serious(editor).length) found[`rules editor (${theme})`] = serious(editor);
      await page.click('[data-testid=rules-back]');
      // The alarm monitor window (by hash: it is not in the menu).
      await page.evaluate('location.hash = "#/monitor"');
      await page.waitForSelector('[data-testid=monitor-page]');
      await page.waitForTimeout(500);
      const monitor = await scan(page);
      if (serious(monitor).length) found[`monitor (${theme})`] = serious(monitor);
      await page.evaluate('location.hash = "#/live"');
      await page.waitForSelector('[data-testid=live-page]');
    }
    fs.writeFileSync(path.join(SHOTS, 'violations.json'), JSON.stringify({ serious: found, minor }, null, 2));
    console.log(`axe-core: pages scanned per theme: ${menu.length + 2}; minor findings: ${JSON.stringify(minor)}`);
    expect(found).toEqual({});
    await setTheme(page, 'dark');
    await page.close();
  });
});

describe('role-aware screens', () => {
  it("an officer sees the rule editor read-only: no drawing tools, no Save, the reason on hover", async () => {
    const page = await openApp(OFFICER);
    await page.waitForSelector('[data-testid=camera-tile] [data-testid=edit-rules]');
    expect(await page.textContent('[data-testid=camera-tile] [data-testid=edit-rules]')).toBe('View rules');
    await page.click('[data-testid=camera-tile] [data-testid=edit-rules]');
    await page.waitForSelector('[data-testid=rules-editor][data-read-only=true]');
    expect(await page.locator('[data-testid=rules-save]').count()).toBe(0);
    expect(await page.locator('[data-testid^=tool-]').count()).toBe(0);
    expect(await page.getAttribute('[data-testid=rules-read-only]', 'title')).toBe('Needs the Supervisor role or higher (you are Officer).');
    // Selecting a rule shows its properties, all disabled.
    await page.click('[data-testid=rule-item]');
    await page.waitForSelector('[data-testid=rule-properties]');
    expect(await page.locator('[data-testid=rule-name]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=rule-dry-run]').count()).toBe(0);
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(SHOTS, 'rules-editor-officer.png') });
    const vs = serious(await scan(page));
    expect(vs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});

describe('the camera form with the face matching notice open', () => {
  it('finds no serious or critical violation in either theme', async () => {
    const page = await openApp();
    const found: Record<string, Violation[]> = {};
    for (const theme of ['dark', 'light'] as const) {
      await setTheme(page, theme);
      await visit(page, 'cameras');
      await page.click(`[data-testid=camera-row][data-camera-id="${cam.id}"] [data-testid=camera-edit]`);
      await page.click('[data-testid=camera-faces-switch]');
      await page.waitForSelector('[data-testid=face-notice-dialog]');
      const vs = serious(await scan(page));
      await page.screenshot({ path: path.join(SHOTS, `camera-face-notice-${theme}.png`) });
      if (vs.length) found[theme] = vs;
      await page.click('[data-testid=face-notice-cancel]');
      expect(await page.isChecked('[data-testid=camera-faces-switch]')).toBe(false);
    }
    expect(found).toEqual({});
    await setTheme(page, 'dark');
    await page.close();
  });
});

describe('content security policy', () => {
  it('loads without a CSP warning in the console (no IPv6 literal the parser rejects)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const warnings: string[] = [];
    page.on('console', (m) => /Content Security Policy|Content-Security-Policy/i.test(m.text()) && warnings.push(m.text()));
    await page.goto(host.url);
    await signIn(page);
    await page.reload();
    await page.waitForSelector('[data-testid=connection-status][data-state=open]', { timeout: 30_000 });
    expect(warnings).toEqual([]);
    await page.close();
  });
});

describe('the small things (screenshots checked by eye)', () => {
  it('3x3 layout: each camera chooser stays inside its tile and covers no button; the audit list reads in words', async () => {
    const page = await openApp();
    const bar = new LayoutBar(page);
    await page.click('[data-testid=nav-live]');
    await bar.preset('3x3');
    // Long camera names, side by side in the top row (a camera shows in one tile at a time).
    await must('cameras:update', { id: cam.id, patch: { name: 'Front door, north entrance by the car park' } });
    const side = await must<{ id: string }>('cameras:add', { name: 'Side gate beside the loading bay, east', source: fixtures.video('intel_one_by_one_person.mp4'), enabled: false });
    const bay = await must<{ id: string }>('cameras:add', { name: 'Loading bay, dock door number three', source: fixtures.video('intel_one_by_one_person.mp4'), enabled: false });
    const ids = [cam.id, side.id, bay.id];
    for (let i = 0; i < 3; i++) {
      await page.selectOption(`[data-testid=tile-camera-select] >> nth=${i}`, ids[i]!);
      await page.waitForSelector(`[data-testid=layout-tile][data-index="${i}"][data-camera-id="${ids[i]}"] [data-testid=edit-rules]`);
    }
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(SHOTS, 'layout-3x3.png') });
    type Box = { x: number; y: number; width: number; height: number };
    const inside = (a: Box, b: Box) => a.x >= b.x - 0.5 && a.y >= b.y - 0.5 && a.x + a.width <= b.x + b.width + 0.5 && a.y + a.height <= b.y + b.height + 0.5;
    const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const buttons: Box[] = [];
    for (let i = 0; i < 3; i++) buttons.push((await page.locator(`[data-testid=layout-tile][data-index="${i}"] [data-testid=edit-rules]`).boundingBox())!);
    for (let i = 0; i < 9; i++) {
      const cell = (await page.locator(`[data-testid=layout-tile][data-index="${i}"]`).boundingBox())!;
      const chooser = (await page.locator(`[data-testid=layout-tile][data-index="${i}"] [data-testid=tile-camera-select]`).boundingBox())!;
      expect(inside(chooser, cell), `chooser ${i} inside its tile`).toBe(true);
      for (const b of buttons) expect(overlap(chooser, b), `chooser ${i} covers a button`).toBe(false);
    }
    // "Span 2×2" of a camera's tile sits in its header band (above the picture), clear of the other buttons
    // (the third column has no room to grow, so no button there).
    expect(await page.locator('[data-testid=layout-tile][data-index="2"] [data-testid=tile-span]').count()).toBe(0);
    for (let i = 0; i < 2; i++) {
      const tile = (await page.locator(`[data-testid=layout-tile][data-index="${i}"] [data-testid=camera-tile]`).boundingBox())!;
      const span = (await page.locator(`[data-testid=layout-tile][data-index="${i}"] [data-testid=tile-span]`).boundingBox())!;
      const chooser = (await page.locator(`[data-testid=layout-tile][data-index="${i}"] [data-testid=tile-camera-select]`).boundingBox())!;
      expect(inside(span, { x: tile.x, y: tile.y, width: tile.width, height: 2 + 28 }), `span ${i} in the header band`).toBe(true);
      for (const b of [...buttons, chooser]) expect(overlap(span, b), `span ${i} covers a button`).toBe(false);
    }
    await must('cameras:remove', { id: side.id }).catch(() => undefined);
    await bar.preset('1');
    await must('cameras:update', { id: cam.id, patch: { name: 'Front door' } });

    // The audit list: titles, not channel ids; camera names, not ULIDs; no raw JSON.
    await page.click('[data-testid=nav-audit]');
    await page.waitForSelector('[data-testid=audit-table]');
    const saved = page.locator('[data-testid=audit-row][data-action="rules:save"]').first();
    const text = await saved.innerText();
    expect(text).toContain('Save the lines and zones of a camera');
    expect(text).toContain('Front door');
    expect(text).not.toContain(cam.id);
    expect(text).not.toContain('{');
    const all = await page.locator('[data-testid=audit-row]').count();
    await page.fill('[data-testid=audit-search]', 'lines and zones');
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=audit-row]').length < n, all);
    expect(await page.locator('[data-testid=audit-row]:not([data-action="rules:save"])').count()).toBe(0);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-csv]')]);
    const csv = fs.readFileSync((await dl.path())!, 'utf8');
    expect(csv).toContain('row,when,who,role,what,on,detail,action');
    expect(csv).toContain('rules:save');
    await page.screenshot({ path: path.join(SHOTS, 'audit-words.png') });

    // Reports: "Daily" opens with its date filled.
    await page.click('[data-testid=nav-reports]');
    await page.waitForSelector('[data-testid=report-from]');
    expect(await page.inputValue('[data-testid=report-from]')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.close();
  });
});
