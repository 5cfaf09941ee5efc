import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import type { RetentionReport } from '../../shared/domain/retention';
import { MemoryAuditSink } from '../audit/audit-sink';
import { LedgerRepository, type LedgerEventInput } from '../ledger/ledger.repository';
import { SnapshotStore } from '../ledger/snapshot-store';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { SettingsRepository } from '../storage/settings.repository';
import { RetentionService } from './retention.service';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(freeBytes?: () => number | null, startupDelayMs?: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-retention-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  const settings = new SettingsRepository(db);
  const audit = new MemoryAuditSink();
  const ran: RetentionReport[] = [];
  const service = new RetentionService({
    db,
    settings,
    snapshotsDir: path.join(dir, 'snapshots'),
    reportsDir: path.join(dir, 'reports'),
    audit,
    logger: nullLogger,
    onRan: (r) => ran.push(r),
    now: () => NOW,
    ...(freeBytes ? { freeBytes } : {}),
    ...(startupDelayMs !== undefined ? { startupDelayMs } : {}),
  });
  return { dir, db, settings, audit, ran, service, ledger: new LedgerRepository(db, () => new Date(NOW)) };
}

/** An event `daysAgo` old with a snapshot file of `bytes` bytes. */
function eventWithSnapshot(dir: string, ledger: LedgerRepository, daysAgo: number, track: number, bytes = 1000): { id: string; snapAbs: string } {
  const frameMs = NOW - daysAgo * DAY;
  const id = ulid(frameMs);
  const rel = SnapshotStore.relativePath(id, frameMs);
  const abs = path.join(dir, 'snapshots', rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, Buffer.alloc(bytes, 1));
  const e: LedgerEventInput = { id, cameraId: 'cam1', ruleId: 'door', trackId: track, cls: 'person', type: 'line.cross', direction: 'in', confidence: 0.9, frameMs, source: 'live', snapshot: rel };
  ledger.append([e]);
  return { id, snapAbs: abs };
}

describe('RetentionService', () => {
  it('removes old events, snapshots, tracks and reports per policy, keeps amended events and their snapshots, and reports it', () => {
    const { dir, db, audit, ran, service, ledger } = setup();
    service.setPolicy({ eventsDays: 30, snapshotsDays: 10, tracksDays: 7, reportsDays: 90, minFreeMb: 0, intervalMinutes: 60 }, 'ada.admin');
    const old = eventWithSnapshot(dir, ledger, 40, 1);
    const oldVoided = eventWithSnapshot(dir, ledger, 45, 2);
    const oldCorrected = eventWithSnapshot(dir, ledger, 50, 3);
    const middle = eventWithSnapshot(dir, ledger, 20, 4); // event kept, snapshot past 10 days
    const recent = eventWithSnapshot(dir, ledger, 1, 5);
    ledger.void(oldVoided.id, 'double count', 'olga.officer');
    ledger.correct(oldCorrected.id, 'was a cyclist', { cls: 'bicycle' }, 'olga.officer');
    const insTrack = db.prepare('INSERT INTO tracks (camera_id, session, track_id, cls, first_ms, last_ms, point_count, points) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insTrack.run('cam1', 's', 1, 'person', NOW - 9 * DAY, NOW - 8 * DAY, 1, Buffer.alloc(4));
    insTrack.run('cam1', 's', 2, 'person', NOW - 2 * DAY, NOW - DAY, 1, Buffer.alloc(4));
    fs.mkdirSync(path.join(dir, 'reports', '2026'), { recursive: true });
    const oldReport = path.join(dir, 'reports', '2026', 'jan.pdf');
    const newReport = path.join(dir, 'reports', 'may.pdf');
    fs.writeFileSync(oldReport, 'x');
    fs.writeFileSync(newReport, 'x');
    fs.utimesSync(oldReport, new Date(NOW - 100 * DAY), new Date(NOW - 100 * DAY));

    const report = service.run('manual', 'ada.admin');

    expect(report.removed).toEqual({ events: 1, snapshots: 2, snapshotBytes: 2000, tracks: 1, reports: 1 });
    expect(report.keptAmendedEvents).toBe(2);
    expect(report.eventsHorizon).toBe(new Date(NOW - 30 * DAY).toISOString());
    expect(ledger.get(old.id)).toBeUndefined();
    for (const kept of [oldVoided, oldCorrected, middle, recent]) expect(ledger.get(kept.id)).toBeDefined();
    expect(fs.existsSync(old.snapAbs)).toBe(false);
    expect(fs.existsSync(middle.snapAbs)).toBe(false);
    for (const kept of [oldVoided, oldCorrected, recent]) expect(fs.existsSync(kept.snapAbs)).toBe(true);
    expect(fs.existsSync(oldReport)).toBe(false);
    expect(fs.existsSync(newReport)).toBe(true);
    expect((db.prepare('SELECT COUNT(*) AS n FROM ledger_amendments').get() as { n: number }).n).toBe(2);
    expect(ran).toEqual([report]);
    expect(service.status().lastRun).toEqual(report);
    expect(audit.entries.map((e) => e.action)).toEqual(['retention.policy', 'retention.run']);
    expect(audit.entries[1]).toMatchObject({ actor: 'ada.admin', detail: { trigger: 'manual', removed: report.removed } });
  });

  it('lets the database refuse deleting events above the horizon or amended ones, and moving the horizon', () => {
    const { dir, db, service, ledger } = setup();
    const a = eventWithSnapshot(dir, ledger, 400, 1);
    const b = eventWithSnapshot(dir, ledger, 400, 2);
    ledger.void(b.id, 'test', null);
    // No horizon yet: nothing can be deleted, however old.
    expect(() => db.prepare('DELETE FROM ledger_events WHERE id = ?').run(a.id)).toThrow(/immutable/);
    service.run('manual', 'system'); // default policy: 365 days
    expect(ledger.get(a.id)).toBeUndefined();
    expect(() => db.prepare('DELETE FROM ledger_events WHERE id = ?').run(b.id)).toThrow(/immutable/);
    const fresh = eventWithSnapshot(dir, ledger, 2, 3);
    expect(() => db.prepare('DELETE FROM ledger_events WHERE id = ?').run(fresh.id)).toThrow(/immutable/);
    expect(() => db.prepare('UPDATE retention_horizons SET before_ms = ?').run(NOW)).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM retention_horizons').run()).toThrow(/immutable/);
    // A horizon less than a day old cannot be recorded.
    expect(() => db.prepare("INSERT INTO retention_horizons (kind, before_ms, at_ms, by_user) VALUES ('events', ?, ?, 'x')").run(NOW, NOW)).toThrow(/CHECK/);
  });

  it('removes the oldest snapshots first under disk pressure until the floor is free again', () => {
    let free = 0;
    const { dir, service, ledger } = setup(() => free);
    service.setPolicy({ eventsDays: null, snapshotsDays: null, tracksDays: null, reportsDays: null, minFreeMb: 1, intervalMinutes: 60 }, 'ada.admin');
    const snaps = [5, 4, 3, 2, 1].map((d, i) => eventWithSnapshot(dir, ledger, d, i, 400 * 1024));
    free = 300 * 1024; // 0.3 MiB free, floor 1 MiB: needs 0.7 MiB more -> two 400 KiB snapshots
    const report = service.run('manual', 'system');
    expect(report.diskPressure).toMatchObject({ floorBytes: 1024 * 1024, freeBytesBefore: 300 * 1024, snapshotsRemoved: 2 });
    expect(snaps.map((s) => fs.existsSync(s.snapAbs))).toEqual([false, false, true, true, true]);
    expect(report.removed.events).toBe(0);
    expect(report.errors).toEqual([]);
  });

  it('runs on its schedule', async () => {
    const { ran, service: s } = setup(undefined, 5);
    s.start();
    expect(s.status().nextRunAt).not.toBeNull();
    const end = Date.now() + 5_000;
    while (!ran.length && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    s.stop();
    expect(ran[0]).toMatchObject({ trigger: 'startup', by: 'system' });
  });
});
