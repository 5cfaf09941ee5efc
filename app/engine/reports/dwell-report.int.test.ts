import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { SqliteRulesRepository } from '../storage/rules.repository';
import { SettingsRepository } from '../storage/settings.repository';
import { seedDemoData } from './demo-seed';
import { dwellOfZone, readZoneVisitRows } from './dwell';
import { ReportBuilder } from './report-builder';
import { exportReport } from './report-export';

const ZONE = 'Europe/Berlin';
const END = DateTime.fromISO('2026-11-29T23:00', { zone: ZONE }).toMillis();
let dir: string;
let db: Db;
let builder: ReportBuilder;
let lobbyCamera: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-dwell-report-'));
  db = openDatabase({ dataDir: dir, logger: nullLogger });
  seedDemoData(db, { days: 3, zone: ZONE, endMs: END, seed: 11 });
  builder = new ReportBuilder({ db, settings: new SettingsRepository(db), now: () => END });
  // Dwell reporting on for the Lobby zone (rule editor → zone options → Dwell report); Visitor bays stays off.
  const rules = new SqliteRulesRepository(db);
  lobbyCamera = (db.prepare("SELECT id FROM cameras WHERE name = 'Main entrance'").get() as { id: string }).id;
  const stored = rules.get(lobbyCamera)!;
  rules.save({ ...stored, rules: stored.rules.map((r) => (r.id === 'lobby' && r.type === 'zone' ? { ...r, dwellReport: true } : r)) });
});
afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('daily report: dwell times of a zone with dwell reporting on', () => {
  it('the model, the PDF and the CSV show median / 90th percentile / longest per hour, from the ledger’s enter/exit rows', async () => {
    const file = path.join(dir, 'daily.pdf');
    const r = await exportReport(builder, { request: { type: 'daily', from: '2026-11-27' }, format: 'pdf', outFile: file, generatedBy: 'test' });
    const { from, to } = r.model.period;
    expect(r.model.dwell?.map((d) => [d.cameraName, d.ruleName])).toEqual([['Main entrance', 'Lobby']]);
    const lobby = r.model.dwell![0]!;
    expect(lobby).toMatchObject(dwellOfZone(readZoneVisitRows(db, lobbyCamera, 'lobby', from, to), from, to, ZONE));
    // The demo visits last 20 s to 10 min 20 s: the figures lie there and are ordered.
    expect(lobby.overall.visits).toBeGreaterThan(20);
    expect(lobby.overall.visits).toBe(lobby.hours.reduce((a, h) => a + h.visits, 0));
    expect(lobby.overall.medianS).toBeGreaterThanOrEqual(20);
    expect(lobby.overall.medianS).toBeLessThanOrEqual(lobby.overall.p90S);
    expect(lobby.overall.p90S).toBeLessThanOrEqual(lobby.overall.longestS);
    expect(lobby.overall.longestS).toBeLessThanOrEqual(620);

    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Dwell times: Main entrance · Lobby');
    if (process.env.WATCHROOM_SHOTS_DIR) fs.copyFileSync(file, path.join(process.env.WATCHROOM_SHOTS_DIR, 'daily-report-dwell.pdf'));
    expect(text).toMatch(/Typical \(median\)\s+9 in 10 at most \(90th pct\.\)\s+Longest/);
    expect(text).not.toContain('Dwell times: Car park');
    const whole = text.split('\n').find((l) => l.trim().startsWith('Whole period'))!;
    expect(whole.replace(/\s+/g, ' ')).toContain(` ${lobby.overall.visits} `);

    const csvFile = path.join(dir, 'daily.csv');
    await exportReport(builder, { request: { type: 'daily', from: '2026-11-27' }, format: 'csv', outFile: csvFile, generatedBy: 'test' });
    const records = parse(fs.readFileSync(csvFile), { bom: true, columns: true }) as Array<Record<string, string>>;
    const hourly = records.filter((x) => x.section === 'dwell' && x.kind === 'dwell_p90_s');
    expect(hourly.map((x) => [x.period_start, Number(x.count)])).toEqual(lobby.hours.map((h) => [h.hourIso, h.p90S]));
    const total = (kind: string) => Number(records.find((x) => x.section === 'dwell-total' && x.rule_id === 'lobby' && x.kind === kind)?.count);
    expect([total('dwell_visits'), total('dwell_median_s'), total('dwell_p90_s'), total('dwell_longest_s')]).toEqual([lobby.overall.visits, lobby.overall.medianS, lobby.overall.p90S, lobby.overall.longestS]);
  });

  it('a report without any zone on dwell reporting has no dwell part (and its data hash is as before)', () => {
    const rules = new SqliteRulesRepository(db);
    const stored = rules.get(lobbyCamera)!;
    const withDwell = builder.build({ type: 'daily', from: '2026-11-27' }, 'test');
    rules.save({ ...stored, rules: stored.rules.map((r) => (r.type === 'zone' ? { ...r, dwellReport: undefined } : r)) });
    const without = builder.build({ type: 'daily', from: '2026-11-27' }, 'test');
    expect(without.dwell).toBeUndefined();
    expect(without.dataSha256).not.toBe(withDwell.dataSha256);
    rules.save(stored);
  });
});
