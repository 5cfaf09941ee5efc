import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { ADMIN_CTX, asRole } from '../auth/as-role.test-support';
import { NO_WORKERS, QuietCameraRuntime } from '../camera/quiet-camera-runtime.test-support';
import { nullLogger } from '../logging/logger';
import { WatchroomEngine } from '../services/engine';
import { DB_FILE } from '../storage/database';
import { makeEvidenceSite } from './evidence-site.test-support';

/**
 * Bad input through the API (`evidence:export` as the renderer sends it, through the engine's dispatcher and
 * permission matrix): a range with no recording, a range longer than the retention, a folder that is not allowed,
 * a camera removed since. Each gets a clear message; nothing is written (no folder, no hidden part, no audit row of
 * an export); nothing else is disturbed (recordings and their index as they were, a good export still works).
 */
const newDir = tempDirs('wr-evidence-api-');
let dataDir: string;
let engine: WatchroomEngine;
let gate: string;
let bay: string;
/** Recordings from a few minutes ago: a running engine's retention (30 days) keeps them. */
const T0 = Math.floor((Date.now() - 5 * 60_000) / 1000) * 1000;

beforeEach(() => {
  dataDir = newDir();
  const site = makeEvidenceSite(dataDir, 20, T0);
  ({ gate, bay } = site);
  site.audit.flush();
  site.db.close();
  engine = new WatchroomEngine({ dataDir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0.1.0', cameraRuntimeFactory: () => new QuietCameraRuntime(), detection: false, nativeModelsDir: path.join(dataDir, 'none') });
  engine.start();
});
afterEach(async () => {
  await engine.dispose();
});

/** Every file under the data directory's recordings, with its size (what must stay as it was). */
const recordingFiles = () =>
  fs
    .readdirSync(path.join(dataDir, 'recordings'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => `${path.join(d.parentPath, d.name)}:${fs.statSync(path.join(d.parentPath, d.name)).size}`)
    .sort();

function readDb<T>(f: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, DB_FILE), { readonly: true });
  try {
    return f(db);
  } finally {
    db.close();
  }
}

const reportsDir = () => path.join(dataDir, 'reports');
const reportEntries = () => (fs.existsSync(reportsDir()) ? fs.readdirSync(reportsDir()) : []);

describe('evidence export through the API: bad input', () => {
  it('no recording, longer than the retention, a folder not allowed, a camera removed since: a clear message each, nothing written, nothing else disturbed', async () => {
    const supervisor = asRole('supervisor');
    const good = { cameraIds: [gate, bay], from: T0 + 2_000, to: T0 + 12_000, reason: 'Case 20: gate forced' };
    const files = recordingFiles();
    const rows = readDb((db) => db.prepare('SELECT COUNT(*) FROM recording_segments').pluck().get());
    const elsewhere = newDir();

    const cases: [string, unknown, string, RegExp][] = [
      ['a range with no recording', { ...good, from: T0 + 60_000, to: T0 + 80_000 }, 'invalid-input', /There is no recording of Gate between/],
      ['a range longer than the retention', { ...good, from: T0 - 31 * 86_400_000 }, 'invalid-input', /longer than recordings are kept \(30 days\)\. Choose a shorter range/],
      ['a folder that is not a report folder', { ...good, folder: elsewhere }, 'forbidden', /only to the report folders an admin allowed/],
      ['a folder outside everything', { ...good, folder: path.join(os.tmpdir(), 'no-such-folder-for-evidence') }, 'forbidden', /only to the report folders/],
    ];
    for (const [what, input, code, message] of cases) {
      const r = await engine.dispatch('evidence:export', input, supervisor);
      expect(r, what).toMatchObject({ ok: false, error: { code } });
      expect((r as { error: { message: string } }).error.message, what).toMatch(message);
    }
    // A camera removed since (its recordings stay on disk and in the index).
    expect(await engine.dispatch('cameras:remove', { id: bay }, ADMIN_CTX)).toMatchObject({ ok: true });
    const removed = await engine.dispatch('evidence:export', good, supervisor);
    expect(removed).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((removed as { error: { message: string } }).error.message).toMatch(/no longer exists \(removed since\)\. Choose another camera/);

    // Nothing written anywhere, nothing recorded as exported.
    expect(reportEntries()).toEqual([]);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(readDb((db) => db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'evidence.export'").pluck().get())).toBe(0);
    // Nothing else disturbed: the recordings and the index as they were…
    expect(recordingFiles()).toEqual(files);
    expect(readDb((db) => db.prepare('SELECT COUNT(*) FROM recording_segments').pluck().get())).toBe(rows);
    // …and a good export of what remains goes through to the end.
    const ok = await engine.dispatch('evidence:export', { ...good, cameraIds: [gate] }, supervisor);
    expect(ok).toMatchObject({ ok: true, value: { exportId: expect.any(String) } });
    const until = Date.now() + 60_000;
    while (!reportEntries().some((f) => f.startsWith('evidence-')) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    const [folder] = reportEntries().filter((f) => f.startsWith('evidence-'));
    expect(folder).toBeDefined();
    expect(fs.readdirSync(path.join(reportsDir(), folder!)).sort()).toEqual(['Gate.mp4', 'events.csv', 'manifest.json', 'summary.pdf']);
    expect(reportEntries().filter((f) => f.startsWith('.'))).toEqual([]);
    expect(readDb((db) => db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'evidence.export'").pluck().get())).toBe(1);
  });
});
