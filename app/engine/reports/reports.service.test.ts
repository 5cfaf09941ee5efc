import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportProgress } from '../../shared/domain/reports';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { seedDemoData } from './demo-seed';
import { nextDue, requestForRun } from './report-scheduler';
import { ReportsService } from './reports.service';
import { SITE_TIME_ZONE_KEY } from './time-buckets';
import { AlarmStore } from '../alarms/alarm-store';
import { storedAlarms } from './shift-sources';

const ZONE = 'Europe/Berlin';
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(nowRef: { t: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-reports-svc-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  const settings = new SettingsRepository(db);
  settings.set(SITE_TIME_ZONE_KEY, ZONE);
  const progress: ExportProgress[] = [];
  const svc = new ReportsService({ db, settings, dataDir: dir, logger: nullLogger, onProgress: (p) => progress.push(p), cameraName: (id) => id, now: () => nowRef.t });
  return { dir, db, svc, progress };
}

const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe('ReportsService', () => {
  it('occurrence book and sign-off: entries during the shift, one sign-off at hand-over', () => {
    const now = { t: at('2026-11-27T10:00') };
    const { svc } = setup(now);
    const shift = svc.currentShift();
    expect([shift.from, shift.to]).toEqual([at('2026-11-27T07:00'), at('2026-11-27T19:00')]);
    svc.addEntry('Fire door on level 2 propped open; closed it.', 'j.okafor');
    now.t += 3600_000;
    svc.addEntry('Delivery at the loading bay.', 'j.okafor');
    expect(() => svc.addEntry('   ', 'j.okafor')).toThrow(/Write something/);
    const s = svc.signOff(shift.from, shift.to, 'All quiet', 'j.okafor');
    expect(s).toMatchObject({ by: 'j.okafor', note: 'All quiet' });
    expect(() => svc.signOff(shift.from, shift.to, undefined, 'x')).toThrow(/already been signed off/);
    const m = svc.build({ type: 'shift' }, 'j.okafor');
    expect(m.occurrences.map((e) => e.text)).toEqual(['Fire door on level 2 propped open; closed it.', 'Delivery at the loading bay.']);
    expect(m.signoff?.by).toBe('j.okafor');
  });

  it('occurrence book history: an earlier shift with its entries and sign-off; a later time is the shift running now', () => {
    const now = { t: at('2026-11-27T10:00') };
    const { svc } = setup(now);
    svc.addEntry('Day shift entry.', 'j.okafor');
    const day = svc.currentShift();
    svc.signOff(day.from, day.to, 'Quiet day', 'j.okafor');
    now.t = at('2026-11-28T02:00');
    svc.addEntry('Night shift entry.', 'a.lind');
    expect(svc.currentShift()).toMatchObject({ from: at('2026-11-27T19:00'), to: at('2026-11-28T07:00'), signoff: null });
    const earlier = svc.currentShift(at('2026-11-27T12:30'));
    expect(earlier).toMatchObject({ from: day.from, to: day.to, signoff: { by: 'j.okafor', note: 'Quiet day' } });
    expect(earlier.label).toBe('Fri 27 Nov 07:00 – Fri 27 Nov 19:00');
    expect(svc.entries(earlier.from, earlier.to).map((e) => e.text)).toEqual(['Day shift entry.']);
    expect(svc.currentShift(at('2026-12-01T12:00')).from).toBe(at('2026-11-27T19:00'));
  });

  it('the ALARMS figure counts the alarms the report lists (one source: the alarm store)', () => {
    const now = { t: at('2026-11-27T18:00') };
    const { db, svc } = setup(now);
    const store = new AlarmStore(db, () => now.t);
    svc.setAlarmSource(storedAlarms(db, (id) => id));
    for (let i = 0; i < 3; i++) {
      now.t = at('2026-11-27T09:00') + i * 60_000;
      store.open({ kind: 'rule', cameraId: 'gate', ruleId: `r${i}`, trackId: i, eventId: null, type: 'zone.intrusion', priority: 2, snapshot: null }, 'system');
    }
    now.t = at('2026-11-27T18:00');
    const m = svc.build({ type: 'daily', from: '2026-11-27' }, 'sue');
    expect(m.alarms).toHaveLength(3);
    expect(m.grand.alarms).toBe(3);
    expect(m.grandPrevious.alarms).toBe(0);
    // Weekly reports do not list them, but count the same way.
    expect(svc.build({ type: 'weekly', from: '2026-11-27' }, 'sue').grand.alarms).toBe(3);
  });

  it('exports with progress pushes, then done; a cancelled export leaves nothing', async () => {
    const now = { t: at('2026-11-29T23:00') };
    const { svc, db, progress, dir } = setup(now);
    seedDemoData(db, { days: 3, zone: ZONE, endMs: now.t, seed: 3 });
    const { exportId } = svc.startExport({ request: { type: 'daily', from: '2026-11-28' }, format: 'csv', rows: 'report' }, 'tester');
    for (let i = 0; i < 200 && !progress.some((p) => p.exportId === exportId && p.state !== 'running'); i++) await new Promise((r) => setTimeout(r, 50));
    const last = progress.filter((p) => p.exportId === exportId).pop()!;
    expect(last.state).toBe('done');
    expect(fs.existsSync(last.file!)).toBe(true);
    expect(path.dirname(last.file!)).toBe(path.join(dir, 'reports'));

    const second = svc.startExport({ request: { type: 'custom', from: '2026-11-26', to: '2026-11-29' }, format: 'csv', rows: 'events' }, 'tester');
    expect(svc.cancelExport(second.exportId)).toBe(true);
    for (let i = 0; i < 200 && !progress.some((p) => p.exportId === second.exportId && p.state !== 'running'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(progress.filter((p) => p.exportId === second.exportId).pop()?.state).toBe('cancelled');
    expect(fs.readdirSync(path.join(dir, 'reports'))).toEqual([path.basename(last.file!)]);
    expect(() => svc.startExport({ request: { type: 'custom', from: '2026-11-29', to: '2026-11-01' }, format: 'pdf', rows: 'report' }, 'x')).toThrow(/before its start/);
    expect(() => svc.startExport({ request: { type: 'daily', from: '2026-11-28' }, format: 'pdf', rows: 'report', folder: '../../somewhere' }, 'x')).toThrow(/full path/);
    expect(() => svc.startExport({ request: { type: 'daily', from: '2026-11-28' }, format: 'pdf', rows: 'report', folder: os.tmpdir() }, 'x')).toThrow(/only to the report folders an admin allowed/);
    await svc.dispose();
  });

  it('scheduled reports: due times, and runs missed while the app was closed run at the next start', async () => {
    expect(nextDue({ type: 'daily', time: '19:00', weekday: null }, at('2026-11-27T19:00'), ZONE)).toBe(at('2026-11-28T19:00'));
    expect(nextDue({ type: 'weekly', time: '06:00', weekday: 1 }, at('2026-11-27T10:00'), ZONE)).toBe(at('2026-11-30T06:00'));
    expect(nextDue({ type: 'monthly', time: '06:00', weekday: null }, at('2026-11-27T10:00'), ZONE)).toBe(at('2026-12-01T06:00'));
    expect(requestForRun('shift', at('2026-11-27T19:00'), ZONE).from).toMatch(/^2026-11-27T18:59/);

    const now = { t: at('2026-11-25T12:00') };
    const { svc, db } = setup(now);
    seedDemoData(db, { days: 6, zone: ZONE, endMs: at('2026-11-29T00:00'), seed: 5 });
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-sched-'));
    dirs.push(folder);
    // Only a report folder an admin allowed is accepted; nothing is created.
    expect(() => svc.scheduler.save({ type: 'daily', format: 'csv', time: '19:00', weekday: null, folder })).toThrow(/only to the report folders an admin allowed/);
    expect(() => svc.scheduler.save({ type: 'daily', format: 'csv', time: '19:00', weekday: null, folder: path.join(folder, 'new') })).toThrow(/only to the report folders an admin allowed/);
    expect(fs.existsSync(path.join(folder, 'new'))).toBe(false);
    svc.folders.set([folder]);
    svc.scheduler.save({ type: 'daily', format: 'csv', time: '19:00', weekday: null, folder });
    // The app is closed for three days and starts again on the 28th at 20:00.
    now.t = at('2026-11-28T20:00');
    await svc.scheduler.tick();
    expect(fs.readdirSync(folder).sort()).toEqual(['watchroom-daily-2026-11-24_0000.csv', 'watchroom-daily-2026-11-25_0000.csv', 'watchroom-daily-2026-11-26_0000.csv', 'watchroom-daily-2026-11-27_0000.csv']);
    expect(svc.scheduler.list()[0]!.lastRunAt).toBe(at('2026-11-28T19:00'));
    await svc.scheduler.tick();
    expect(fs.readdirSync(folder)).toHaveLength(4);
  });
});
