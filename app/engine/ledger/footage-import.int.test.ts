import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { openDatabase } from '../storage/database';
import { footageKeyOf, importFootageEvents } from './footage-import';
import { SYNTHETIC_BATCH, SYNTHETIC_COUNT, SYNTHETIC_KEY, SYNTHETIC_START, syntheticEvents } from './import-child.test-support';
import { LedgerRepository } from './ledger.repository';

const here = path.dirname(new URL(import.meta.url).pathname);
const repoRoot = path.resolve(here, '../../..');
let tmp = '';
let childJs = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-import-'));
  childJs = path.join(tmp, 'import-child.cjs');
  buildSync({ entryPoints: [path.join(here, 'import-child.test-support.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: childJs, logLevel: 'error' });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the import in a child and SIGKILLs it after a random number of committed batches (plus a random delay). */
function runAndKill(dataDir: string, seed: number): Promise<{ killed: boolean; batchesSeen: number }> {
  const total = SYNTHETIC_COUNT / SYNTHETIC_BATCH;
  const killAfter = 1 + (seed % (total - 2));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dataDir], { env: { ...process.env, WATCHROOM_IMPORT_CHILD: '1', NODE_PATH: path.join(repoRoot, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let err = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      seen += (d.toString().match(/^batch /gm) ?? []).length;
      if (seen >= killAfter && child.exitCode === null && !child.killed) setTimeout(() => child.kill('SIGKILL'), seed % 3);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (code && code !== 0) reject(new Error(`import child failed: ${err}`));
      else resolve({ killed: signal === 'SIGKILL', batchesSeen: seen });
    });
  });
}

describe('footage import', () => {
  it('survives a SIGKILL half-way: whole batches only, and a re-run leaves exactly one copy of each event', async () => {
    const dataDir = path.join(tmp, 'kill');
    const seed = Math.floor(Math.random() * 1000);
    const { killed } = await runAndKill(dataDir, seed);
    const db = openDatabase({ dataDir, logger: nullLogger });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const partial = (db.prepare('SELECT COUNT(*) AS n FROM ledger_events').get() as { n: number }).n;
      expect(partial % SYNTHETIC_BATCH).toBe(0);
      if (killed) expect(partial).toBeLessThan(SYNTHETIC_COUNT);

      const again = await importFootageEvents({ db, cameraName: 'lobby (IMPORTED)', start: SYNTHETIC_START, footageKey: SYNTHETIC_KEY, events: syntheticEvents(), batchSize: SYNTHETIC_BATCH });
      expect(again).toMatchObject({ seen: SYNTHETIC_COUNT, inserted: SYNTHETIC_COUNT - partial, duplicates: partial });
      const third = await importFootageEvents({ db, cameraName: 'Lobby (imported)', start: SYNTHETIC_START, footageKey: SYNTHETIC_KEY, events: syntheticEvents(), batchSize: 999 });
      expect(third).toMatchObject({ inserted: 0, duplicates: SYNTHETIC_COUNT });
      expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT dedupe_key) AS k, COUNT(DISTINCT camera_id) AS c FROM ledger_events').get()).toEqual({ n: SYNTHETIC_COUNT, k: SYNTHETIC_COUNT, c: 1 });
      expect(db.prepare('SELECT name, enabled FROM cameras').all()).toEqual([{ name: 'Lobby (imported)', enabled: 0 }]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('times events from the footage start and gives the same totals after a restart', async () => {
    const dataDir = path.join(tmp, 'restart');
    let db = openDatabase({ dataDir, logger: nullLogger });
    const r = await importFootageEvents({ db, cameraName: 'Gate', start: SYNTHETIC_START, footageKey: SYNTHETIC_KEY, events: syntheticEvents(300), modelId: 'yolo' });
    const l = new LedgerRepository(db);
    const last = l.list({ limit: 1 })[0]!;
    expect(last).toMatchObject({ cameraId: r.cameraId, frameMs: Date.parse(SYNTHETIC_START) + 299 * 50, modelId: 'yolo', source: `import:${SYNTHETIC_KEY}` });
    const before = l.totals();
    expect(before.map((t) => t.in + t.out + t.enter + t.exit).reduce((a, b) => a + b, 0)).toBe(300);
    db.close();
    db = openDatabase({ dataDir, logger: nullLogger });
    expect(new LedgerRepository(db).totals()).toEqual(before);
    db.close();
  });

  it('keys footage by its first and last MiB and size', () => {
    const f = path.join(tmp, 'clip.bin');
    fs.writeFileSync(f, Buffer.alloc(3 * 1024 * 1024, 7));
    const k = footageKeyOf(f);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    fs.appendFileSync(f, Buffer.from([1]));
    expect(footageKeyOf(f)).not.toBe(k);
  });
});
