import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlarmStore } from '../app/engine/alarms/alarm-store';
import { nullLogger } from '../app/engine/logging/logger';
import { openDatabase } from '../app/engine/storage/database';
import { repoRoot } from '../test/support/shared-fixtures';
import { AlarmsPage } from './pages/alarms-page';
import { ReportsPage } from './pages/reports-page';
import { ARTIFACTS, ensureBuilt, launchChromium, openApp as openAppIn } from './support/browser';
import { adminApi, createReadyUser, startHeadlessHost } from './support/headless-host';

type Host = Awaited<ReturnType<typeof startHeadlessHost>>;
let host: Host;
let browser: Browser;
let dataDir: string;
/** An open intrusion alarm of the current shift, seeded through the app's alarm store before the host starts. */
let alarmId: string;
const pageErrors: string[] = [];
/** The officer who keeps the occurrence book, closes the alarm and signs the shift off (created by the administrator). */
const OFFICER = { name: 'otto', password: 'e2e-officer-password' } as const;
const openApp = (url: string, user?: { name: string; password: string }): Promise<Page> => openAppIn(browser, url, pageErrors, user);

beforeAll(async () => {
  ensureBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-reports-'));
  // A realistic fortnight up to now (so the current shift has counts), site zone Europe/Berlin.
  execFileSync(process.execPath, [path.join(repoRoot, 'dist/node/demo-data.cjs'), '--data-dir', dataDir, '--days', '14', '--zone', 'Europe/Berlin'], { stdio: 'pipe' });
  const db = openDatabase({ dataDir, logger: nullLogger });
  try {
    const cam = db.prepare("SELECT id FROM cameras WHERE name = 'Car park'").get() as { id: string };
    alarmId = new AlarmStore(db).open({ kind: 'rule', cameraId: cam.id, ruleId: 'bays', trackId: 990_001, eventId: null, type: 'zone.intrusion', priority: 2, snapshot: null }, 'system').alarm.id;
  } finally {
    db.close();
  }
  host = await startHeadlessHost({ dataDir });
  // First run: the administrator, who then creates the officer's account (users:create asks for the password).
  const api = await adminApi(host);
  try {
    await createReadyUser(host, api, OFFICER, 'officer');
  } finally {
    api.close();
  }
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const yesterday = () => new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });

describe('reports (headless host + Chromium)', () => {
  it('the dashboard shows a day with charts; its CSV parses back to the same totals', async () => {
    const page = await openApp(host.url);
    const reports = new ReportsPage(page);
    await reports.open();
    await reports.show('daily', yesterday());
    await page.waitForSelector('[data-testid=chart-heatmap] canvas', { timeout: 15_000 });
    const kpis = { in: await reports.kpi('in'), out: await reports.kpi('out'), enter: await reports.kpi('enter'), exit: await reports.kpi('exit'), alarms: await reports.kpi('alarms') };
    expect(kpis.in).toBeGreaterThan(0);
    const table = await reports.totals();
    await page.screenshot({ path: path.join(ARTIFACTS, 'reports-dashboard.png') });
    await page.locator('[data-testid=busiest-table]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'reports-dashboard-heatmap.png') });

    const csv = await reports.export('export-csv');
    expect(csv.state).toBe('done');
    const records = parse(fs.readFileSync(csv.file), { bom: true, columns: true }) as Array<Record<string, string>>;
    const sum = (kind: string, rule?: string) => records.filter((r) => r.section === 'bucket' && r.kind === kind && (!rule || r.rule_id === rule)).reduce((a, r) => a + Number(r.count), 0);
    expect({ in: sum('in'), out: sum('out'), enter: sum('enter'), exit: sum('exit'), alarms: sum('alarm') }).toEqual(kpis);
    for (const [rule, values] of Object.entries(table)) expect([sum('in', rule), sum('out', rule), sum('enter', rule), sum('exit', rule), sum('alarm', rule)]).toEqual(values);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('an officer writes two occurrence-book entries, closes an alarm and signs off; the shift report PDF has both entries, the alarm with its outcome, and the counts', async () => {
    const page = await openApp(host.url, OFFICER);
    const reports = new ReportsPage(page);
    await reports.open();
    await reports.openBook();
    const first = 'Fire door on level 2 found propped open; closed it at 10:40.';
    const second = 'Courier van at the loading bay, driver signed in and escorted.';
    await reports.addEntry(first);
    await reports.addEntry(second);
    expect((await reports.entries()).slice(-2)).toEqual([first, second]);
    // The officer closes the shift's alarm in the Alarms page: acknowledged, then closed as a true alarm with a comment.
    const alarms = new AlarmsPage(page);
    await alarms.open();
    await alarms.select(alarmId);
    await page.click('[data-testid=alarm-acknowledge]');
    await alarms.waitForStatus(alarmId, 'acknowledged');
    const comment = 'Person at the visitor bays after hours; escorted off site.';
    await alarms.close('true-alarm', comment);
    await alarms.waitForStatus(alarmId, 'closed');
    await reports.open();
    await reports.openBook();
    // Signing off asks for the officer's password again; the sign-off carries the officer's name.
    expect(await reports.signOff('Handed over to the night shift.', OFFICER.password)).toMatch(new RegExp(`Signed off by ${OFFICER.name} at`));
    await page.screenshot({ path: path.join(ARTIFACTS, 'reports-occurrence-book.png'), fullPage: true });
    // The book only shows the book: its report exports are on the Reports page.
    expect(await page.locator('[data-testid=export-bar], [data-testid=shift-pdf], [data-testid=export-pdf]').count()).toBe(0);
    // History: the shift before, as it was written (no new entries there), then back to the shift running now.
    const now = await page.locator('[data-testid=occurrence-book]').getAttribute('data-shift-from');
    await page.click('[data-testid=book-earlier]');
    await page.locator(`[data-testid=occurrence-book][data-shift-to="${now}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid=book-shift-label]').innerText()).toMatch(/^Earlier shift: /);
    expect(await page.locator('[data-testid=book-text]').count()).toBe(0);
    expect(await reports.entries()).not.toContain(first);
    await page.screenshot({ path: path.join(ARTIFACTS, 'reports-occurrence-book-history.png'), fullPage: true });
    await page.click('[data-testid=book-current]');
    await page.locator(`[data-testid=occurrence-book][data-shift-from="${now}"][data-current=true]`).waitFor({ timeout: 15_000 });
    expect((await reports.entries()).slice(-2)).toEqual([first, second]);
    await page.close();

    // Report exports are a supervisor's: the administrator exports the officer's shift report (with the password).
    const supervisorPage = await openApp(host.url);
    const supervisorReports = new ReportsPage(supervisorPage);
    await supervisorReports.open();
    await supervisorReports.openBook();
    // "Report of this shift" opens the shift's report on the dashboard, where the exports are.
    await supervisorPage.click('[data-testid=book-open-report]');
    await supervisorPage.locator('[data-testid=report-title]', { hasText: 'Shift report' }).waitFor({ timeout: 30_000 });
    const pdf = await supervisorReports.export('export-pdf');
    expect(pdf.state).toBe('done');
    const text = execFileSync('pdftotext', [pdf.file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Shift report');
    expect(text).toContain(first);
    expect(text).toContain(second);
    expect(text).toMatch(/Total in \d+ · out \d+ · enter \d+ · exit \d+ · alarms \d+/);
    expect(text).toContain(`Signed off by ${OFFICER.name}`);
    expect(text).toContain('Handed over to the night shift.');
    // The alarm with its outcome, comment and history steps (who and when).
    expect(text).toContain('Car park / Visitor bays (zone.intrusion)');
    expect(text).toContain('true alarm');
    expect(text).toContain(comment);
    // The steps carry the signed-in officer (the same name the sign-off shows).
    const officer = /Signed off by (\S+) at/.exec(text)?.[1] ?? '?';
    expect(officer).toBe(OFFICER.name);
    expect(text).toMatch(new RegExp(`\\d{2}:\\d{2} ${officer}: acknowledge`));
    expect(text).toMatch(new RegExp(`\\d{2}:\\d{2} ${officer}: close as true alarm`));
    expect(text).toMatch(/Data SHA-256: [0-9a-f]{64}/);
    // Every page renders; page 1 (and the page with the alarms) is looked at.
    execFileSync('pdftoppm', ['-png', '-r', '70', pdf.file, path.join(ARTIFACTS, 'shift-report')]);
    expect(pageErrors).toEqual([]);
    await supervisorPage.close();
  });

  it('a custom range ending before it starts is refused with a clear message', async () => {
    const page = await openApp(host.url);
    const reports = new ReportsPage(page);
    await reports.open();
    await page.selectOption('[data-testid=report-type]', 'custom');
    await page.fill('[data-testid=report-from]', '2026-03-10');
    await page.fill('[data-testid=report-to]', '2026-03-01');
    await page.click('[data-testid=report-show]');
    const err = page.locator('[data-testid=report-error]');
    await err.waitFor({ timeout: 15_000 });
    expect(await err.textContent()).toMatch(/before its start/);
    await page.close();
  });
});
