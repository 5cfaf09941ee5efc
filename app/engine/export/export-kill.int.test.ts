import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExactlyOnce, collectMqtt, pgEventIds, until } from '../../../test/support/export-harness';
import { makeTestPki, startHttpsReceiver, startMosquitto, startPostgres, type Mosquitto, type Postgres, type TestPki } from '../../../test/support/export-servers';
import { nullLogger } from '../logging/logger';
import { openDatabase } from '../storage/database';
import { plaintextSecretBox } from '../storage/secret-box';
import { ExportSinkInputSchema } from '../../shared/domain/export';
import { ExportService } from './export.service';

/** The app SIGKILLed in the middle of delivery, restarted: still exactly once at every sink. */

const here = path.dirname(new URL(import.meta.url).pathname);
const repoRoot = path.resolve(here, '../../..');
let tmp = '';
let childJs = '';
let pki: TestPki;
let mosq: Mosquitto;
let pgsrv: Postgres;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-export-kill-'));
  childJs = path.join(tmp, 'export-child.cjs');
  buildSync({ entryPoints: [path.join(here, 'export-child.test-support.ts')], bundle: true, platform: 'node', format: 'cjs', packages: 'external', outfile: childJs, logLevel: 'error' });
  pki = makeTestPki();
  [mosq, pgsrv] = await Promise.all([startMosquitto(), startPostgres()]);
});
afterAll(async () => {
  await Promise.all([mosq?.dispose(), pgsrv?.dispose()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function startChild(dataDir: string, args: string[]): { child: ChildProcess; produced: () => number; out: () => string } {
  const child = spawn(process.execPath, [childJs, dataDir, ...args], { env: { ...process.env, WATCHROOM_EXPORT_CHILD: '1', NODE_PATH: path.join(repoRoot, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let produced = 0;
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = [...out.matchAll(/produced (\d+)/g)].pop();
    if (m) produced = Number(m[1]);
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
  child.on('exit', () => clearTimeout(guard));
  return { child, produced: () => produced, out: () => out };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('export across a SIGKILL', () => {
  it('killed in the middle of delivery and restarted: every event exactly once at the HTTPS receiver, PostgreSQL and MQTT (by id)', async () => {
    const N = 3000;
    const dataDir = path.join(tmp, 'data');
    const rx = await startHttpsReceiver({ pki, hmacKey: 'k3y' });
    rx.delayMs = 30;
    const col = await collectMqtt(mosq.url);
    const tuning = { batchSize: 100, timeoutMs: 5000 };
    // Configure the sinks as an admin would (the app is not running yet).
    {
      const db = openDatabase({ dataDir, logger: nullLogger });
      const svc = new ExportService({ db, secretBox: plaintextSecretBox, logger: nullLogger });
      svc.save(ExportSinkInputSchema.parse({ name: 'hq', site: 'west', target: { kind: 'https', url: rx.url, auth: 'hmac', caPem: pki.caPem }, secret: 'k3y', tuning }));
      svc.save(ExportSinkInputSchema.parse({ name: 'central', site: 'west', target: { kind: 'postgres', host: pgsrv.host, port: pgsrv.port, database: pgsrv.database, user: pgsrv.user }, secret: pgsrv.password, tuning }));
      svc.save(ExportSinkInputSchema.parse({ name: 'hub', site: 'west', target: { kind: 'mqtt', url: mosq.url }, tuning }));
      db.close();
    }
    const conn = { host: pgsrv.host, port: pgsrv.port, user: pgsrv.user, password: pgsrv.password, database: pgsrv.database };
    const kills: number[] = [];
    try {
      // Kill it twice mid-delivery: once while still producing, once while draining.
      const first = startChild(dataDir, ['produce', String(N)]);
      await until('delivery under way', () => rx.events.size >= 300 && first.produced() >= 600, 60_000, first.out);
      kills.push(rx.events.size);
      await killed(first.child);
      const producedBeforeKill = first.produced();
      expect(producedBeforeKill).toBeLessThan(N);
      const second = startChild(dataDir, ['produce', String(N)]);
      await until('delivery under way again', () => rx.events.size >= kills[0]! + 300, 60_000, second.out);
      kills.push(rx.events.size);
      await killed(second.child);
      const third = startChild(dataDir, ['drain']);
      const db = openDatabase({ dataDir, logger: nullLogger });
      const ids = (db.prepare('SELECT id, camera_id FROM ledger_events ORDER BY id').all() as { id: string; camera_id: string }[]).map((r) => ({ id: r.id, cameraId: r.camera_id }));
      db.close();
      expect(ids.length).toBeGreaterThanOrEqual(600);
      let pgIds = { ids: new Set<string>(), rows: 0 };
      await until(
        'every sink has every event',
        async () => rx.events.size >= ids.length && col.ids.size >= ids.length && (pgIds = await pgEventIds(conn, 'west')).rows >= ids.length,
        90_000,
        () => `https ${rx.events.size} mqtt ${col.ids.size} pg ${pgIds.rows} of ${ids.length}\n${third.out()}`,
      );
      await killed(third.child);
      expect(checkExactlyOnce(ids, rx.events, rx.order)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      expect(checkExactlyOnce(ids, pgIds.ids)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      expect(pgIds.rows).toBe(ids.length);
      expect(checkExactlyOnce(ids, col.ids, col.order)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      console.log(`[export] SIGKILL x2 (at ${kills.join(', ')} delivered): ${ids.length} events; https copies ${rx.receivedCopies} (${rx.receivedCopies - rx.events.size} re-sent, absorbed by id), mqtt copies ${col.copies} (${col.copies - col.ids.size} to drop by id), postgres rows ${pgIds.rows}`);
    } finally {
      await rx.close();
      await col.close();
    }
  });
});
