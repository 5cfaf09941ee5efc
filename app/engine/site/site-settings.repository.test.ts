import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { ReportsService } from '../reports/reports.service';
import { openDatabase, type Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { DEFAULT_SITE_NAME, SiteSettingsRepository } from './site-settings.repository';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(now = Date.now()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-site-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  const settings = new SettingsRepository(db);
  const site = new SiteSettingsRepository(settings);
  const reports = new ReportsService({ db, settings, dataDir: dir, logger: nullLogger, onProgress: () => undefined, cameraName: (id) => id, now: () => now });
  return { dir, settings, site, reports };
}

describe('SiteSettingsRepository', () => {
  it('defaults: "Watchroom site", the machine zone, shifts at 07:00 and 19:00', () => {
    const { site } = setup();
    expect(site.get()).toEqual({ siteName: DEFAULT_SITE_NAME, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', shiftStarts: ['07:00', '19:00'] });
  });

  it('saves only the fields given, sorts shift starts, refuses an unknown zone and bad times', () => {
    const { site } = setup();
    expect(site.set({ siteName: '  Harbour Point  ' })).toMatchObject({ siteName: 'Harbour Point' });
    expect(site.set({ timeZone: 'Asia/Kolkata', shiftStarts: ['22:00', '06:00', '14:00'] })).toEqual({ siteName: 'Harbour Point', timeZone: 'Asia/Kolkata', shiftStarts: ['06:00', '14:00', '22:00'] });
    expect(() => site.set({ timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(() => site.set({ shiftStarts: ['25:00'] })).toThrow();
    expect(() => site.set({ shiftStarts: ['06:00', '06:00'] })).toThrow();
    expect(site.get().timeZone).toBe('Asia/Kolkata');
  });

  it('reads the zone the first store saved (site.settings) until the next save', () => {
    const { settings, site } = setup();
    settings.set('site.settings', { timeZone: 'America/Chicago' });
    expect(site.timeZone()).toBe('America/Chicago');
    site.set({ timeZone: 'Europe/Lisbon' });
    expect(settings.get('site.settings')).toBeUndefined();
    expect(site.timeZone()).toBe('Europe/Lisbon');
  });

  // The PDF and CSV writers render ReportModel.site and period.timeZone (pdf-writer.ts, csv-writer.ts).
  it('reports print the saved name and cut days and shifts in the saved zone and shift starts', async () => {
    const zone = 'Asia/Kolkata';
    const now = DateTime.fromISO('2026-11-27T10:00', { zone }).toMillis();
    const { site, reports } = setup(now);
    site.set({ siteName: 'Harbour Point Offices', timeZone: zone, shiftStarts: ['06:00', '14:00', '22:00'] });

    const shift = reports.build({ type: 'shift' }, 'tester');
    expect(shift.site).toBe('Harbour Point Offices');
    expect(shift.period.timeZone).toBe(zone);
    expect([shift.period.from, shift.period.to]).toEqual([DateTime.fromISO('2026-11-27T06:00', { zone }).toMillis(), DateTime.fromISO('2026-11-27T14:00', { zone }).toMillis()]);
    expect(reports.currentShift().from).toBe(shift.period.from);

    const daily = reports.build({ type: 'daily', from: '2026-11-26' }, 'tester');
    expect(daily.period.fromIso).toBe('2026-11-26T00:00:00+05:30');
    expect(daily.period.toIso).toBe('2026-11-27T00:00:00+05:30');

    await reports.dispose();
  });
});
