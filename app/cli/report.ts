import path from 'node:path';
import { parseArgs } from 'node:util';
import { GrainSchema, ReportFormatSchema, ReportTypeSchema, type ReportRequest } from '../shared/domain/reports';
import { AppErrorException } from '../shared/ipc/envelope';
import { SnapshotStore } from '../engine/ledger/snapshot-store';
import { nullLogger } from '../engine/logging/logger';
import { ReportBuilder } from '../engine/reports/report-builder';
import { storedAlarms } from '../engine/reports/shift-sources';
import { exportReport } from '../engine/reports/report-export';
import { openDatabase } from '../engine/storage/database';
import { SettingsRepository } from '../engine/storage/settings.repository';
import { fail } from './cli-common';

const HELP = `Usage: npm run report -- --data-dir <dir> --type daily|weekly|monthly|shift|custom --format pdf|csv --out <file>
  --from <date|date-time>  daily/weekly/monthly: a day in the period (default: the last complete one);
                           custom: the start; shift: a time in the shift (default: the current shift) or its start
  --to <date|date-time>    custom (and shift with --from): the end (a plain date is inclusive)
  --camera <id>            only this camera
  --grain 15m|hour|day|week|month   bucket size (default from the period's length)
  --rows report|events     CSV: aggregate rows + totals (default) or every effective ledger event
Writes the same report the app does, in the site's time zone (setting site.timeZone, else this machine's).
The file appears only once complete; Ctrl-C cancels and leaves nothing behind.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' }, type: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' },
      out: { type: 'string' }, camera: { type: 'string' }, grain: { type: 'string' }, rows: { type: 'string' }, 'generated-by': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) return void process.stdout.write(`${HELP}\n`);
  if (!values['data-dir']) fail(`--data-dir is required\n${HELP}`, 2);
  const type = ReportTypeSchema.safeParse(values.type);
  if (!type.success) fail(`--type must be daily, weekly, monthly, shift or custom\n${HELP}`, 2);
  const format = ReportFormatSchema.safeParse(values.format);
  if (!format.success) fail('--format must be pdf or csv', 2);
  if (!values.out) fail('--out <file> is required', 2);
  const grain = values.grain === undefined ? undefined : GrainSchema.safeParse(values.grain);
  if (grain && !grain.success) fail('--grain must be 15m, hour, day, week or month', 2);
  const rows = values.rows ?? 'report';
  if (rows !== 'report' && rows !== 'events') fail('--rows must be report or events', 2);
  if (rows === 'events' && format.data !== 'csv') fail('--rows events needs --format csv', 2);

  const dataDir = values['data-dir'];
  const db = openDatabase({ dataDir, logger: nullLogger });
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  process.once('SIGTERM', () => ac.abort());
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  try {
    const cameraNames = new Map((db.prepare('SELECT id, name FROM cameras').all() as Array<{ id: string; name: string }>).map((c) => [c.id, c.name]));
    const builder = new ReportBuilder({ db, settings: new SettingsRepository(db), alarms: storedAlarms(db, (id) => cameraNames.get(id) ?? id) });
    const snapshots = new SnapshotStore({ dataDir, logger: nullLogger });
    const request: ReportRequest = { type: type.data, from: values.from, to: values.to, cameraId: values.camera, grain: grain?.data };
    const r = await exportReport(
      builder,
      { request, format: format.data, rows, outFile: path.resolve(values.out), generatedBy: values['generated-by'] ?? 'system (command line)' },
      {
        signal: ac.signal,
        resolveSnapshot: (rel) => snapshots.resolve(rel),
        onProgress: (f) => {
          const pct = Math.floor(f * 100);
          if (!tty || pct === lastPct) return;
          lastPct = pct;
          const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
          process.stderr.write(`\r[${bar}] ${pct}%`);
        },
      },
    );
    if (tty) process.stderr.write('\n');
    if (!r.model.totals.length && !r.model.occurrences.length) process.stderr.write(`note: no counts were recorded in ${r.model.period.label}\n`);
    const m = r.model;
    process.stdout.write(
      `${JSON.stringify({ file: r.file, type: m.type, period: { from: m.period.fromIso, to: m.period.toIso, timeZone: m.period.timeZone }, written: r.written, totals: m.grand, dataSha256: m.dataSha256, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
    );
  } catch (e) {
    if (tty) process.stderr.write('\n');
    if (e instanceof AppErrorException) fail(e.message, e.code === 'invalid-input' ? 2 : 1);
    throw e;
  } finally {
    db.close();
  }
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
