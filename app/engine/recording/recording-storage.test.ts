import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAMERA_RECORDING, type CameraRecording } from '../../shared/domain/recording';
import { tempDirs } from '../../../test/support/temp-dirs';
import { nullLogger } from '../logging/logger';
import { testAlarmsService } from '../services/alarms-service.test-support';
import { openDatabase, type Db } from '../storage/database';
import { enforceStorage } from './recording-storage';
import { segmentRelPath, SegmentIndex } from './segment-index';

const tmp = tempDirs('watchroom-recstore-');
const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12);

function setup() {
  const dir = tmp();
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  const index = new SegmentIndex(db, path.join(dir, 'recordings'));
  /** A complete segment file of `bytes` bytes. */
  const seg = (cam: string, startMs: number, bytes = 100) => {
    const rel = segmentRelPath(cam, startMs);
    fs.mkdirSync(path.dirname(index.absolute(rel)), { recursive: true });
    fs.writeFileSync(index.absolute(rel), Buffer.alloc(bytes));
    const id = index.open(cam, startMs, rel, 'h264');
    index.complete(id, { relPath: rel, endMs: startMs + 6000, bytes });
    return id;
  };
  return { db, index, seg };
}

const run = (index: SegmentIndex, cameras: { id: string; settings: CameraRecording }[], o: { quota?: number | null; floor?: number; free?: number | null } = {}) =>
  enforceStorage({ index, now: NOW, cameras, quotaBytes: o.quota ?? null, minFreeBytes: o.floor ?? 0, freeBytes: () => o.free ?? null, log: nullLogger });

describe('enforceStorage', () => {
  it('removes segments past their camera retention days; event footage by its own days', () => {
    const { index, seg } = setup();
    const old = seg('a', NOW - 10 * DAY);
    const oldEvent = seg('a', NOW - 10 * DAY + 60_000);
    index.markEvent('a', NOW - 10 * DAY + 60_000, NOW - 10 * DAY + 61_000);
    const recent = seg('a', NOW - DAY);
    const v = run(index, [{ id: 'a', settings: { ...DEFAULT_CAMERA_RECORDING, retentionDays: 7, eventRetentionDays: 30 } }]);
    expect(v.removed.retention).toBe(1);
    expect(index.get(old)).toBeUndefined();
    expect(fs.existsSync(path.join(index.root, segmentRelPath('a', NOW - 10 * DAY)))).toBe(false);
    expect(index.get(oldEvent)).toBeDefined();
    expect(index.get(recent)).toBeDefined();
  });

  it('events mode keeps the rolling pre-roll buffer and event footage only', () => {
    const { index, seg } = setup();
    const outside = seg('a', NOW - 120_000);
    const inEvent = seg('a', NOW - 60_000);
    index.markEvent('a', NOW - 58_000, NOW - 50_000);
    const buffer = seg('a', NOW - 6_000);
    run(index, [{ id: 'a', settings: { ...DEFAULT_CAMERA_RECORDING, mode: 'events', preRollS: 10 } }]);
    expect([index.get(outside), index.get(inEvent), index.get(buffer)].map((s) => s !== undefined)).toEqual([false, true, true]);
  });

  it('over the quota: the oldest go first across cameras, ordinary footage before event footage; no room left: room is false', () => {
    const { index, seg } = setup();
    const a1 = seg('a', NOW - 50_000);
    const b1 = seg('b', NOW - 40_000);
    const a2 = seg('a', NOW - 30_000);
    const b2 = seg('b', NOW - 20_000);
    index.markEvent('a', NOW - 50_000, NOW - 49_000);
    const cams = ['a', 'b'].map((id) => ({ id, settings: { ...DEFAULT_CAMERA_RECORDING, retentionDays: null } }));
    const v = run(index, cams, { quota: 200 });
    expect(v).toMatchObject({ room: true, bytes: 200, removed: { space: 2 } });
    // b1 (oldest ordinary) and a2 went; a1 is event footage, b2 the newest.
    expect([a1, b1, a2, b2].map((id) => index.get(id) !== undefined)).toEqual([true, false, false, true]);
    expect(run(index, cams, { floor: 1000, free: 10 })).toMatchObject({ room: false });
    expect(index.usage().segments).toBe(0);
  });

  it('the recording-stopped system alarm opens and recovers in the alarms table (migration 14 widened its CHECKs)', () => {
    const { db } = setup();
    const alarms = testAlarmsService(db);
    const detail = { condition: 'recording-stopped' as const, bytes: 1, quotaBytes: null, freeBytes: 0, minFreeBytes: 1 };
    alarms.onSystemHealth({ subject: 'recordings', condition: 'recording-stopped', kind: 'raise', detail, reason: 'test' });
    const open = alarms.store.openSystemAlarm('recordings', 'recording-stopped');
    expect(open).toMatchObject({ kind: 'system', priority: 1, detail: { condition: 'recording-stopped' } });
    alarms.onSystemHealth({ subject: 'recordings', condition: 'recording-stopped', kind: 'clear', detail, reason: 'test' });
    expect(alarms.store.openSystemAlarm('recordings', 'recording-stopped')?.recoveredMs).not.toBeNull();
  });
});
