import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { nullLogger } from '../logging/logger';
import { migrate, openDatabase, type Db } from '../storage/database';
import { migrations } from '../storage/migrations';
import { SegmentIndex } from './segment-index';

const tmp = tempDirs('watchroom-segidx-');
const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

function open(upTo = 14): { db: Db; index: SegmentIndex; root: string } {
  const dir = tmp();
  const db = openDatabase({ dataDir: dir, logger: nullLogger, migrations: migrations.filter((m) => m.version <= upTo) });
  dbs.push(db);
  const root = path.join(dir, 'recordings');
  return { db, index: new SegmentIndex(db, root), root };
}

function addCamera(db: Db, id: string): void {
  db.prepare("INSERT INTO cameras (id, name, source, rtsp_transport, analysis_fps, enabled, created_at, updated_at) VALUES (?, ?, 'file:///x.mp4', 'tcp', 5, 1, '', '')").run(id, id);
}

describe('SegmentIndex', () => {
  it('lists segments over a range in start order with absolute paths, and joins contiguous ones into ranges', () => {
    const { index, root } = open();
    const seg = (start: number, end: number) => {
      const id = index.open('cam', start, `cam/2026-01-01/${start}.mp4`, 'h264');
      index.complete(id, { relPath: `cam/2026-01-01/${start}.mp4`, endMs: end, bytes: 100 });
      return id;
    };
    seg(10_000, 16_000);
    seg(0, 6_000);
    seg(6_000, 10_000);
    seg(30_000, 36_000); // after a gap
    const missing = seg(40_000, 46_000);
    index.setStatus(missing, 'missing');
    index.open('other', 0, 'other/2026-01-01/0.mp4', null);

    const all = index.segmentsFor('cam', 0, 100_000);
    expect(all.map((s) => s.startMs)).toEqual([0, 6_000, 10_000, 30_000, 40_000]);
    expect(all[0]).toMatchObject({ cameraId: 'cam', endMs: 6_000, bytes: 100, codec: 'h264', status: 'ok', path: path.join(root, 'cam/2026-01-01/0.mp4') });
    expect(index.segmentsFor('cam', 7_000, 12_000).map((s) => s.startMs)).toEqual([6_000, 10_000]);
    expect(index.ranges('cam', 0, 100_000)).toEqual([
      { startMs: 0, endMs: 16_000 },
      { startMs: 30_000, endMs: 36_000 },
    ]);
    // Clipped to the range asked for.
    expect(index.ranges('cam', 3_000, 32_000)).toEqual([
      { startMs: 3_000, endMs: 16_000 },
      { startMs: 30_000, endMs: 32_000 },
    ]);
    expect(index.ranges('cam', 17_000, 29_000)).toEqual([]);
  });

  it('orders quota candidates: ordinary footage oldest first, then event footage; never the segment being written', () => {
    const { index } = open();
    for (const start of [0, 10_000, 20_000, 30_000]) {
      const id = index.open('a', start, `a/d/${start}.mp4`, 'h264');
      index.complete(id, { relPath: `a/d/${start}.mp4`, endMs: start + 10_000, bytes: 1 });
    }
    index.open('b', 5_000, 'b/d/5000.mp4', 'h264');
    index.markEvent('a', 1_000, 2_000);
    expect(index.oldestRemovable(10).map((s) => s.startMs)).toEqual([10_000, 20_000, 30_000, 0]);
  });

  it('migration 14 widens the alarms table for recording-stopped and keeps its rows', () => {
    const { db } = open(13);
    addCamera(db, 'cam');
    expect(migrate(db, migrations.filter((m) => m.version <= 14))).toEqual([14]);
    const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'alarms'").pluck().get() as string;
    expect(sql).toContain("'recording-stopped'");
    db.prepare("INSERT INTO recording_settings (camera_id, settings, updated_at) VALUES ('cam', '{}', '')").run();
    db.prepare("DELETE FROM cameras WHERE id = 'cam'").run();
    expect(db.prepare('SELECT COUNT(*) FROM recording_settings').pluck().get()).toBe(0);
  });
});
