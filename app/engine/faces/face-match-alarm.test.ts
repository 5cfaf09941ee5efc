import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { AlarmViewSchema } from '../../shared/domain/alarms';
import { AlarmStore } from '../alarms/alarm-store';
import { MemoryAuditSink } from '../audit/audit-sink';
import { nullLogger } from '../logging/logger';
import { migrate, openDatabase, type Db } from '../storage/database';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import { migrations } from '../storage/migrations';
import { openFaceMatchAlarm } from './face-live';
import { WatchlistService } from './watchlist.service';

/** A watchlist match as an alarm (real SQLite): the stored condition, priority by category, one open alarm per person and camera. */
const tmp = tempDirs('wr-face-alarm-');
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
});

function setup() {
  const dir = tmp();
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  const box = keyFileSecretBox(dir);
  const faces = new WatchlistService({ db, box, audit: new MemoryAuditSink(), analyzer: () => Promise.reject(new Error('not used')) });
  const entry = (id: string, category: string) =>
    db.prepare("INSERT INTO face_watchlist (id, name_sealed, category, status, enrolled_by, created_at) VALUES (?, ?, ?, 'active', 'sup', 'x')").run(id, box.seal(`Person ${id}`), category);
  const store = new AlarmStore(db);
  const crop = new Uint8Array(8 * 8 * 3).fill(90);
  const onMatch = openFaceMatchAlarm(store, faces, nullLogger);
  const match = (entryId: string, cameraId: string, track: number, category: 'banned' | 'vip') => {
    const matchId = faces.recordMatch({ entryId, cameraId, track, similarity: 0.8, crop, cropSize: 8 });
    onMatch({ matchId, entryId, cameraId, track, name: `Person ${entryId}`, category, similarity: 0.8 });
    return matchId;
  };
  return { db, store, entry, match, faces };
}

describe('face-match alarms', () => {
  it('open with priority by category, fold repeats of one person on one camera, and link each match to its alarm', () => {
    const { db, store, entry, match } = setup();
    entry('e1', 'banned');
    entry('e2', 'vip');
    const m1 = match('e1', 'c1', 4, 'banned');
    const m2 = match('e1', 'c1', 9, 'banned');
    match('e1', 'c2', 1, 'banned');
    match('e2', 'c1', 5, 'vip');
    const open = store.list({ status: 'open', limit: 100 }).filter((a) => a.condition === 'face-match');
    expect(open).toHaveLength(3);
    for (const a of open) AlarmViewSchema.parse(a);
    const first = store.openSystemAlarm('face:c1:e1', 'face-match')!;
    expect(first).toMatchObject({ kind: 'system', cameraId: null, priority: 1, triggerCount: 2, type: 'system.face-match', detail: { condition: 'face-match', matchId: m2, entryId: 'e1', cameraId: 'c1', name: 'Person e1', category: 'banned', track: 9 } });
    expect(store.openSystemAlarm('face:c1:e2', 'face-match')).toMatchObject({ priority: 3 });
    const links = db.prepare('SELECT id, alarm_id FROM face_matches WHERE id IN (?, ?)').all(m1, m2) as { id: string; alarm_id: string }[];
    expect(links.map((l) => l.alarm_id)).toEqual([first.id, first.id]);
  });

  it('erasing the person takes their name out of the alarms their matches opened', () => {
    const { db, store, entry, match, faces } = setup();
    entry('e1', 'banned');
    entry('e2', 'banned');
    match('e1', 'c1', 4, 'banned');
    match('e2', 'c1', 5, 'banned');
    expect(faces.erase('e1', 'sup')).toEqual({ matches: 1 });
    const names = store.list({ status: 'open', limit: 100 }).map((a) => (a.kind === 'system' && a.detail.condition === 'face-match' ? a.detail.name : null));
    expect(names.sort()).toEqual(['Person e2', 'a person since erased from the watchlist']);
    const raw = JSON.stringify(db.prepare('SELECT detail FROM alarms').all());
    expect(raw).not.toContain('Person e1');
  });

  it('migration 21 lets the alarms table hold face-match alarms and keeps the rows it had', () => {
    const dir = tmp();
    const db = openDatabase({ dataDir: dir, logger: nullLogger, migrations: migrations.filter((m) => m.version < 21) });
    dbs.push(db);
    const store = new AlarmStore(db);
    const kept = store.open({ kind: 'system', priority: 2, detail: { condition: 'analysis-starved', cameras: [{ id: 'c1', name: 'Gate' }] } }, 'system').alarm;
    const face = { kind: 'system' as const, priority: 1, detail: { condition: 'face-match' as const, matchId: 'm1', entryId: 'e1', cameraId: 'c1', name: 'X', category: 'banned' as const, similarity: 0.7, track: 3 } };
    expect(() => store.open(face, 'system')).toThrow(/CHECK/);
    expect(migrate(db, migrations.filter((m) => m.version <= 21))).toEqual([21]);
    expect(store.get(kept.id)).toEqual(kept);
    expect(store.open(face, 'system').alarm).toMatchObject({ condition: 'face-match', subject: 'face:c1:e1' });
  });
});
