import { parseArgs } from 'node:util';
import { nullLogger } from '../engine/logging/logger';
import { seedDemoData } from '../engine/reports/demo-seed';
import { isValidZone, machineTimeZone } from '../engine/reports/time-buckets';
import { openDatabase } from '../engine/storage/database';
import { fail } from './cli-common';

const HELP = `Usage: npm run demo-data -- --data-dir <dir> [--days 30] [--zone Europe/London] [--end <ISO time>] [--seed N]
Seeds a realistic site into the data directory for demos, screenshots and tests: three cameras with line and
zone rules, ledger rows with daily rhythms, loitering and intrusion alarms, voids and corrections, occurrence-book
entries, camera incidents, shift sign-offs, and alarms with outcomes, comments and history (written through the
app's alarm store). Cameras are added disabled (their sources are placeholders).`;

function main(): void {
  const { values } = parseArgs({ options: { 'data-dir': { type: 'string' }, days: { type: 'string' }, zone: { type: 'string' }, end: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return void process.stdout.write(`${HELP}\n`);
  if (!values['data-dir']) fail(`--data-dir is required\n${HELP}`, 2);
  const days = Number(values.days ?? 30);
  if (!(Number.isInteger(days) && days >= 1 && days <= 400)) fail('--days must be a whole number from 1 to 400', 2);
  const zone = values.zone ?? machineTimeZone();
  if (!isValidZone(zone)) fail(`--zone "${zone}" is not a known time zone`, 2);
  const endMs = values.end !== undefined ? Date.parse(values.end) : undefined;
  if (endMs !== undefined && !Number.isFinite(endMs)) fail(`--end must be an ISO date-time, got "${values.end}"`, 2);
  const db = openDatabase({ dataDir: values['data-dir'], logger: nullLogger });
  try {
    const r = seedDemoData(db, { days, zone, endMs, seed: values.seed ? Number(values.seed) : undefined });
    process.stdout.write(`${JSON.stringify({ dataDir: values['data-dir'], days, zone, ...r })}\n`);
  } finally {
    db.close();
  }
}

main();
