import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/shared-fixtures';
import { nullLogger } from '../logging/logger';
import { openDatabase } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { SITE_TIME_ZONE_KEY } from './time-buckets';

const ROWS = 1_000_000;
const T0 = Date.UTC(2026, 9, 1);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Peak resident memory of a running process so far (VmHWM), MB; null once it is gone. */
function vmHwmMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

describe('CSV export of a million ledger rows', () => {
  it('streams: the exporting process peaks under 300 MB and every row is in the file', { timeout: 900_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-million-'));
    dirs.push(dir);
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    new SettingsRepository(db).set(SITE_TIME_ZONE_KEY, 'Europe/Berlin');
    // One statement: a million crossings over 30 days (the rollup triggers fire for each).
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1})
      INSERT INTO ledger_events (id, camera_id, rule_id, track_id, cls, type, direction, confidence, frame_at, frame_ms, source, dedupe_key, created_at)
      SELECT printf('B%025d', i), 'cam' || (i % 3), 'door', i, 'person', 'line.cross', CASE i % 2 WHEN 0 THEN 'in' ELSE 'out' END, 0.9,
             '', ${T0} + i * 2592, 'live', 'bulk|' || i, '' FROM n`);
    db.close();
    const out = path.join(dir, 'events.csv');
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/node/report.cjs'), '--data-dir', dir, '--type', 'custom', '--from', '2026-10-01', '--to', '2026-10-31', '--format', 'csv', '--rows', 'events', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let polled = 0;
    const timer = setInterval(() => (polled = Math.max(polled, vmHwmMb(child.pid!) ?? 0)), 50);
    const lines: string[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearInterval(timer);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(lines[lines.length - 1]!) as { written: number; peakRssMb: number };
    expect(summary.written).toBe(ROWS);
    // Count lines without holding the file: a streamed read.
    let n = 0;
    for await (const _ of readline.createInterface({ input: fs.createReadStream(out) })) n++;
    expect(n).toBe(ROWS + 1);
    const peak = Math.max(summary.peakRssMb, polled);
    console.log(`[report-memory] ${ROWS} rows, ${(fs.statSync(out).size / 1e6).toFixed(0)} MB CSV, peak RSS ${peak.toFixed(0)} MB (process maxRSS ${summary.peakRssMb} MB, polled VmHWM ${polled.toFixed(0)} MB)`);
    expect(peak).toBeLessThan(300);
  });
});
