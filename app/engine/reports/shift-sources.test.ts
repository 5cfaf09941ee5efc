import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmStore } from '../alarms/alarm-store';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { writeReportCsv } from './csv-writer';
import { seedDemoData } from './demo-seed';
import { ReportBuilder } from './report-builder';
import { CameraIncidentRecorder, storedAlarms } from './shift-sources';
import { SITE_TIME_ZONE_KEY } from './time-buckets';

const ZONE = 'Europe/Berlin';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-shift-alarms-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  const now = { t: at('2026-11-27T06:00') };
  const store = new AlarmStore(db, () => now.t);
  return { db, now, store };
}

describe('storedAlarms (shift report source)', () => {
  it('camera health incidents: a missing file retried every minute is one incident with a duration, not a row per minute', () => {
    const { db } = setup();
    let now = at('2026-11-27T08:00');
    const rec = new CameraIncidentRecorder(db, (id) => id, () => now);
    const start = now;
    for (let i = 0; i < 10; i++) {
      rec.onState('dock', { type: 'connecting', since: now, attempt: i + 1 });
      now += 2000;
      rec.onState('dock', { type: 'offline', since: now, reason: 'The file does not exist.', retryAt: now + 58_000 });
      now += 58_000;
    }
    let list = rec.incidentsBetween(start - 3600_000, now + 3600_000);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ cameraId: 'dock', state: 'offline', to: null, detail: 'The file does not exist.' });
    rec.onState('dock', { type: 'online', since: now });
    list = rec.incidentsBetween(start - 3600_000, now + 3600_000);
    expect(list).toHaveLength(1);
    expect(list[0]!.to! - list[0]!.from).toBeGreaterThanOrEqual(9 * 60_000);
    // A new failure after recovery is a new incident.
    now += 60_000;
    rec.onState('dock', { type: 'stalled', since: now, lastFrameAt: now - 5000 });
    expect(rec.incidentsBetween(start - 3600_000, now + 3600_000)).toHaveLength(2);
  });

  it('lists the alarms active in the period with outcome, comment and every history step, as AlarmStore wrote them', () => {
    const { db, now, store } = setup();
    // Closed before the shift: not listed.
    const early = store.open({ kind: 'rule', cameraId: 'cam-1', ruleId: 'door', trackId: 1, eventId: null, type: 'zone.intrusion', priority: 2, snapshot: null }, 'a.night').alarm.id;
    now.t = at('2026-11-27T06:30');
    store.transition(early, 'acknowledge', 'a.night');
    store.transition(early, 'close', 'a.night', { outcome: 'test', comment: null });
    // Opened in the shift, acknowledged, closed as a false alarm with a comment.
    now.t = at('2026-11-27T08:00');
    const a = store.open({ kind: 'rule', cameraId: 'cam-1', ruleId: 'door', trackId: 7, eventId: null, type: 'zone.intrusion', priority: 3, snapshot: null }, 'system').alarm.id;
    now.t = at('2026-11-27T08:05');
    store.transition(a, 'acknowledge', 'j.okafor');
    now.t = at('2026-11-27T08:10');
    store.transition(a, 'close', 'j.okafor', { outcome: 'false-alarm', comment: 'Cleaner with a trolley' });
    // Still open health alarm from before the shift: carried over, listed as open.
    now.t = at('2026-11-27T06:50');
    store.open({ kind: 'health', cameraId: 'cam-1', condition: 'offline', priority: 4 }, 'system');
    // Opened after the shift: not listed.
    now.t = at('2026-11-27T19:30');
    store.open({ kind: 'rule', cameraId: 'cam-1', ruleId: 'door', trackId: 9, eventId: null, type: 'zone.intrusion', priority: 3, snapshot: null }, 'system');

    const list = storedAlarms(db, (id) => (id === 'cam-1' ? 'Lobby' : id)).alarmsBetween(at('2026-11-27T07:00'), at('2026-11-27T19:00'));
    expect(list.map((x) => [x.rule, x.outcome, x.closedAt === null])).toEqual([
      ['health: camera offline', null, true],
      ['door (zone.intrusion)', 'false alarm', false],
    ]);
    const closed = list[1]!;
    expect(closed).toMatchObject({ id: a, camera: 'Lobby', priority: 'P3', openedAt: at('2026-11-27T08:00'), closedAt: at('2026-11-27T08:10'), comment: 'Cleaner with a trolley' });
    expect(closed.steps).toEqual([
      { at: at('2026-11-27T08:00'), user: 'system', action: 'open', comment: null },
      { at: at('2026-11-27T08:05'), user: 'j.okafor', action: 'acknowledge', comment: null },
      { at: at('2026-11-27T08:10'), user: 'j.okafor', action: 'close as false alarm', comment: 'Cleaner with a trolley' },
    ]);
  });

  it('a ReportBuilder without an explicit source reads the stored alarms (shift and daily, not weekly); the CSV lists them', async () => {
    const { db, now, store } = setup();
    const settings = new SettingsRepository(db);
    settings.set(SITE_TIME_ZONE_KEY, ZONE);
    now.t = at('2026-11-27T09:00');
    const id = store.open({ kind: 'health', cameraId: 'cam-x', condition: 'frozen', priority: 2 }, 'system').alarm.id;
    store.transition(id, 'acknowledge', 'j.okafor');
    store.transition(id, 'close', 'j.okafor', { outcome: 'true-alarm', comment: 'Lens sprayed' });
    const builder = new ReportBuilder({ db, settings, now: () => at('2026-11-28T12:00') });
    const shift = builder.build({ type: 'shift', from: '2026-11-27T10:00' }, 'x');
    expect(shift.alarms.map((x) => [x.id, x.outcome, x.comment])).toEqual([[id, 'true alarm', 'Lens sprayed']]);
    expect(builder.build({ type: 'daily', from: '2026-11-27' }, 'x').alarms).toHaveLength(1);
    expect(builder.build({ type: 'weekly', from: '2026-11-27' }, 'x').alarms).toHaveLength(0);

    // The shift CSV lists the alarm and its steps after the counts; every row has the same columns.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeReportCsv(shift, out);
    const records = parse(Buffer.concat(chunks), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records.filter((x) => x.section === 'alarm')).toEqual([
      expect.objectContaining({ period_start: '2026-11-27T09:00:00+01:00', camera: 'cam-x', rule_id: 'health: frozen picture', kind: 'P2', outcome: 'true alarm', user: 'j.okafor', comment: 'Lens sprayed' }),
    ]);
    expect(records.filter((x) => x.section === 'alarm-step').map((x) => [x.kind, x.user])).toEqual([
      ['open', 'system'],
      ['acknowledge', 'j.okafor'],
      ['close as true alarm', 'j.okafor'],
    ]);
  });

  it('demo data seeds alarms through the alarm store: outcomes, comments, history; the reports list them', () => {
    const { db } = setup();
    const end = at('2026-11-29T00:00');
    const r = seedDemoData(db, { days: 14, zone: ZONE, endMs: end, seed: 11 });
    expect(r.alarms).toBeGreaterThan(0);
    const counts = db.prepare('SELECT status, outcome, COUNT(*) AS n FROM alarms GROUP BY status, outcome').all() as Array<{ status: string; outcome: string | null; n: number }>;
    expect(counts.reduce((a, c) => a + c.n, 0)).toBe(r.alarms);
    expect(counts.filter((c) => c.status === 'closed').map((c) => c.outcome)).toEqual(expect.arrayContaining(['false-alarm', 'true-alarm']));
    // Every alarm has an open step first and, when closed, a close step by the officer who acknowledged it.
    const bad = db
      .prepare(
        `SELECT a.id FROM alarms a WHERE (SELECT action FROM alarm_history h WHERE h.alarm_id = a.id AND h.seq = 1) <> 'open'
           OR (a.status = 'closed' AND NOT EXISTS (SELECT 1 FROM alarm_history h WHERE h.alarm_id = a.id AND h.action = 'close' AND h.by_user = a.closed_by AND h.outcome = a.outcome))`,
      )
      .all();
    expect(bad).toEqual([]);
    const settings = new SettingsRepository(db);
    const builder = new ReportBuilder({ db, settings, now: () => end });
    const month = builder.build({ type: 'custom', from: '2026-11-15', to: '2026-11-28' }, 'x');
    expect(month.alarms).toHaveLength(0); // custom ranges carry counts only
    let listed = 0;
    for (let d = 15; d <= 28; d++) {
      const day = builder.build({ type: 'daily', from: `2026-11-${d}` }, 'x');
      listed += day.alarms.length;
      for (const a of day.alarms) expect(a.steps[0]).toMatchObject({ action: 'open', user: 'system' });
    }
    expect(listed).toBeGreaterThanOrEqual(r.alarms);
  });
});
