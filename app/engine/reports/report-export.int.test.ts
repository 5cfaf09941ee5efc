import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/shared-fixtures';
import { AppErrorException } from '../../shared/ipc/envelope';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { seedDemoData } from './demo-seed';
import { ReportBuilder } from './report-builder';
import { exportReport } from './report-export';
import { SITE_TIME_ZONE_KEY } from './time-buckets';

const ZONE = 'Europe/Berlin';
const END = DateTime.fromISO('2026-11-29T23:00', { zone: ZONE }).toMillis();
const ARTIFACTS = path.join(repoRoot, 'artifacts', 'reports');
let dir: string;
let out: string;
let db: Db;
let builder: ReportBuilder;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-report-'));
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-report-out-'));
  db = openDatabase({ dataDir: dir, logger: nullLogger });
  new SettingsRepository(db).set(SITE_TIME_ZONE_KEY, ZONE);
  seedDemoData(db, { days: 10, zone: ZONE, endMs: END, seed: 7 });
  builder = new ReportBuilder({ db, settings: new SettingsRepository(db), now: () => END });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
});

const listOut = () => fs.readdirSync(out);

describe('report export', () => {
  it('the CSV parses back to exactly the rows and totals of the report model (what the dashboard shows)', async () => {
    const file = path.join(out, 'weekly.csv');
    const r = await exportReport(builder, { request: { type: 'weekly', from: '2026-11-23' }, format: 'csv', outFile: file, generatedBy: 'test' });
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    expect(bytes.toString('utf8')).toContain('\r\n');
    const records = parse(bytes, { bom: true, columns: true }) as Array<Record<string, string>>;
    const buckets = records.filter((x) => x.section === 'bucket');
    expect(buckets.map((x) => [x.period_start, x.camera_id, x.rule_id, x.class, x.kind, Number(x.count)])).toEqual(
      r.model.rows.map((x) => [x.bucketIso, x.cameraId, x.ruleId, x.cls, x.kind, x.count]),
    );
    for (const x of buckets) expect(x.period_start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
    for (const t of r.model.totals) {
      const tot = (kind: string) => Number(records.find((x) => x.section === 'total' && x.camera_id === t.cameraId && x.rule_id === t.ruleId && x.kind === kind)?.count ?? 0);
      const sum = (kind: string) => buckets.filter((x) => x.camera_id === t.cameraId && x.rule_id === t.ruleId && x.kind === kind).reduce((a, x) => a + Number(x.count), 0);
      expect({ in: tot('in'), out: tot('out'), enter: tot('enter'), exit: tot('exit'), alarm: tot('alarm') }).toEqual({ in: t.in, out: t.out, enter: t.enter, exit: t.exit, alarm: t.alarms });
      expect({ in: sum('in'), out: sum('out'), enter: sum('enter'), exit: sum('exit'), alarm: sum('alarm') }).toEqual({ in: t.in, out: t.out, enter: t.enter, exit: t.exit, alarm: t.alarms });
    }
    expect(r.model.grand.in).toBeGreaterThan(100);
    expect(listOut()).toEqual(['weekly.csv']);
  });

  it('the PDF has the period, the totals and the footer hash; every page renders', async () => {
    const file = path.join(out, 'daily.pdf');
    const r = await exportReport(builder, { request: { type: 'daily', from: '2026-11-27' }, format: 'pdf', outFile: file, generatedBy: 'test' });
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('Fri 27 Nov 2026');
    expect(text).toContain(r.model.period.fromIso);
    expect(text).toContain(`Total in ${r.model.grand.in} · out ${r.model.grand.out}`);
    expect(text).toMatch(new RegExp(`Data SHA-256: ${r.model.dataSha256}`));
    // Every page's footer also carries the audit trail's head; this test database has no audit rows.
    expect(r.model.auditHead).toBeNull();
    expect(text.split('Audit trail at generation: empty').length - 1).toBe(r.written);
    expect(text).toContain(`Page ${r.written} of ${r.written}`);
    const prefix = path.join(out, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '60', file, prefix]);
    const pngs = listOut().filter((f) => f.startsWith('page') && f.endsWith('.png'));
    expect(pngs).toHaveLength(r.written);
    for (const p of pngs) expect(fs.statSync(path.join(out, p)).size).toBeGreaterThan(5000);
    fs.copyFileSync(path.join(out, pngs.sort()[0]!), path.join(ARTIFACTS, 'daily-report-page-1.png'));
    for (const p of pngs) fs.rmSync(path.join(out, p));

    // The charts span the text width: the comparison chart's legend ("Previous period", "This period") is centred
    // on the page, as its SVG is drawn as wide as the text column (not shrunk to 3/4 of it, as SVG pixels would be).
    const bbox = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const page = /<page width="([\d.]+)"/.exec(bbox);
    const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({ x0: Number(m[1]), x1: Number(m[2]), w: m[3] }));
    const i = words.findIndex((w, k) => w.w === 'Previous' && words[k + 1]?.w === 'period' && words[k + 2]?.w === 'This' && words[k + 3]?.w === 'period');
    expect(i).toBeGreaterThanOrEqual(0);
    const centre = (words[i]!.x0 + words[i + 3]!.x1) / 2;
    expect(Math.abs(centre - Number(page![1]) / 2)).toBeLessThan(15);
  });

  it('the same data gives the same data hash, whoever generates it and when', () => {
    const a = builder.build({ type: 'daily', from: '2026-11-27' }, 'alice');
    const b = new ReportBuilder({ db, settings: new SettingsRepository(db), now: () => END + 3600_000 }).build({ type: 'daily', from: '2026-11-27' }, 'bob');
    expect(a.dataSha256).toBe(b.dataSha256);
    expect(a.generatedBy).not.toBe(b.generatedBy);
  });

  describe('bad input leaves no file behind', () => {
    const refuse = async (job: Parameters<typeof exportReport>[1], message: RegExp, opts: Parameters<typeof exportReport>[2] = {}) => {
      const before = listOut();
      const err = await exportReport(builder, job, opts).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppErrorException);
      expect((err as Error).message).toMatch(message);
      expect(listOut()).toEqual(before);
      if (fs.existsSync(path.dirname(job.outFile))) expect(fs.readdirSync(path.dirname(job.outFile)).filter((f) => f.includes('partial'))).toEqual([]);
    };
    const job = (request: Parameters<typeof exportReport>[1]['request'], outFile = path.join(out, 'bad.pdf')) => ({ request, format: 'pdf' as const, outFile, generatedBy: 'test' });

    it('an empty period', () => refuse(job({ type: 'custom', from: '2026-11-27T10:00', to: '2026-11-27T10:00' }), /period is empty/));
    it('an end before the start', () => refuse(job({ type: 'custom', from: '2026-11-27', to: '2026-11-20' }), /before its start/));
    it('a range of ten years', () => refuse(job({ type: 'custom', from: '2016-01-01', to: '2025-12-31' }), /at most 400 days/));
    it('too fine a step for the period', () => refuse(job({ type: 'custom', from: '2026-01-01', to: '2026-11-01', grain: '15m' }), /more than 10000 buckets/));
    it('a custom report without an end', () => refuse(job({ type: 'custom', from: '2026-11-27' }), /needs a start and an end/));
    it('a date that is no date', () => refuse(job({ type: 'custom', from: 'yesterday', to: '2026-11-27' }), /not a date/));
    it('a folder that does not exist', () => refuse(job({ type: 'daily' }, path.join(out, 'nope', 'x.pdf')), /does not exist/));
    it('a read-only folder', async () => {
      const ro = path.join(out, 'ro');
      fs.mkdirSync(ro);
      fs.chmodSync(ro, 0o555);
      // root ignores file modes: use a read-only system folder then.
      let target = ro;
      try {
        fs.writeFileSync(path.join(ro, 'probe'), '');
        fs.rmSync(path.join(ro, 'probe'));
        target = '/sys';
      } catch {}
      await refuse(job({ type: 'daily' }, path.join(target, 'x.pdf')), /cannot be written to/);
      fs.chmodSync(ro, 0o755);
      fs.rmdirSync(ro);
    });
    it('a full disk half-way through', () => {
      let created = '';
      const createStream = (f: string) => {
        created = f;
        fs.writeFileSync(f, '%PDF-1.3 partial');
        let n = 0;
        return new Writable({
          write(chunk: Buffer, _enc, cb) {
            n += chunk.length;
            if (n > 20_000) cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
            else cb();
          },
        });
      };
      return refuse(job({ type: 'monthly', from: '2026-11-01' }), /disk .* is full/, { createStream }).then(() => expect(fs.existsSync(created)).toBe(false));
    });
    it('a cancelled export', () => {
      const ac = new AbortController();
      return refuse({ ...job({ type: 'monthly', from: '2026-11-01' }), format: 'csv', rows: 'events' }, /cancelled/, {
        signal: ac.signal,
        onProgress: (f) => f > 0 && ac.abort(),
      });
    });
  });

  it('the command line writes the same report (and refuses bad input with a message and exit code 2)', () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const cli = path.join(repoRoot, 'dist', 'node', 'report.cjs');
    const file = path.join(out, 'cli.pdf');
    const ok = spawnSync(process.execPath, [cli, '--data-dir', dir, '--type', 'daily', '--from', '2026-11-27', '--format', 'pdf', '--out', file], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    const summary = JSON.parse(ok.stdout.trim().split('\n').pop()!) as { dataSha256: string; file: string };
    expect(summary.dataSha256).toBe(builder.build({ type: 'daily', from: '2026-11-27' }, 'x').dataSha256);
    expect(fs.existsSync(file)).toBe(true);
    fs.rmSync(file);
    const bad = spawnSync(process.execPath, [cli, '--data-dir', dir, '--type', 'custom', '--from', '2026-11-27', '--to', '2026-11-01', '--format', 'csv', '--out', path.join(out, 'bad.csv')], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/before its start/);
    expect(listOut()).not.toContain('bad.csv');
  });
});
