import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_POLICY } from '../../shared/domain/retention';
import { MemoryAuditSink } from '../audit/audit-sink';
import { nullLogger } from '../logging/logger';
import { RetentionService } from '../retention/retention.service';
import { openDatabase, type Db } from '../storage/database';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import { SettingsRepository } from '../storage/settings.repository';
import { WatchlistService } from './watchlist.service';

/** Watchlist match evidence follows the snapshots' retention: the retention job removes matches older than that. */
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('face-match evidence retention', () => {
  it('each retention run removes matches older than the snapshots retention, keeps newer ones, and reports it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-face-retention-'));
    dirs.push(dir);
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    dbs.push(db);
    let clock = NOW;
    const box = keyFileSecretBox(dir);
    const faces = new WatchlistService({ db, box, audit: new MemoryAuditSink(), analyzer: () => Promise.reject(new Error('not used')), now: () => new Date(clock) });
    db.prepare("INSERT INTO face_watchlist (id, name_sealed, category, status, enrolled_by, created_at) VALUES ('e1', ?, 'banned', 'active', 'sup', ?)").run(box.seal('Someone'), new Date(NOW - 200 * DAY).toISOString());
    const crop = new Uint8Array(8 * 8 * 3).fill(128);
    const at = (daysAgo: number) => {
      clock = NOW - daysAgo * DAY;
      return faces.recordMatch({ entryId: 'e1', cameraId: 'c1', track: daysAgo, similarity: 0.8, crop, cropSize: 8 });
    };
    const [old1, old2, recent] = [at(120), at(91), at(10)];
    clock = NOW;

    const settings = new SettingsRepository(db);
    const retention = new RetentionService({ db, settings, snapshotsDir: path.join(dir, 'snapshots'), reportsDir: path.join(dir, 'reports'), audit: new MemoryAuditSink(), logger: nullLogger, now: () => NOW, freeBytes: () => null });
    const link = retention.purgeFaceMatchesWith((before) => faces.purgeMatches(before));
    expect(DEFAULT_RETENTION_POLICY.snapshotsDays).toBe(90);
    const report = retention.run('manual', 'admin');
    expect(report.removed.faceMatches).toBe(2);
    const left = (db.prepare('SELECT id FROM face_matches').all() as { id: string }[]).map((r) => r.id);
    expect(left).toEqual([recent]);
    expect(left).not.toContain(old1);
    expect(left).not.toContain(old2);

    // Snapshots kept forever: match evidence too. Unlinked (faces phase stopped): nothing is called.
    settings.set('retention.policy', { ...DEFAULT_RETENTION_POLICY, snapshotsDays: null });
    expect(retention.run('manual', 'admin').removed.faceMatches).toBeUndefined();
    settings.set('retention.policy', DEFAULT_RETENTION_POLICY);
    link.dispose();
    expect(retention.run('manual', 'admin').removed.faceMatches).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM face_matches').get()).toEqual({ n: 1 });
  });
});
