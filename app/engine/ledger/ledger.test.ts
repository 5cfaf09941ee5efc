import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { LedgerRepository, type LedgerEventInput } from './ledger.repository';

const dirs: string[] = [];
const dbs: Db[] = [];
function open(dir?: string): { db: Db; dir: string } {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wr-ledger-'));
  if (!dir) dirs.push(d);
  const db = openDatabase({ dataDir: d, logger: nullLogger });
  dbs.push(db);
  return { db, dir: d };
}
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const cross = (track: number, dir: 'in' | 'out', sec: number, over: Partial<LedgerEventInput> = {}): LedgerEventInput => ({
  cameraId: 'cam1', ruleId: 'door', trackId: track, cls: 'person', type: 'line.cross', direction: dir, confidence: 0.9, frameMs: T0 + sec * 1000, source: 'live', ...over,
});
const zone = (track: number, type: 'zone.enter' | 'zone.exit' | 'zone.loiter', sec: number): LedgerEventInput => ({
  cameraId: 'cam1', ruleId: 'lobby', trackId: track, cls: 'person', type, confidence: 0.8, frameMs: T0 + sec * 1000, source: 'live',
});

describe('LedgerRepository', () => {
  it('appends with time-sortable ids and skips duplicates', () => {
    const { db } = open();
    const l = new LedgerRepository(db);
    const first = l.append([cross(1, 'in', 5), cross(2, 'out', 1)]);
    expect(first).toHaveLength(2);
    expect(l.append([cross(1, 'in', 5), cross(3, 'in', 9)])).toHaveLength(1);
    const rows = l.list();
    expect(rows.map((r) => r.trackId)).toEqual([3, 1, 2]); // newest frame first
    expect(rows[0]).toMatchObject({ cameraId: 'cam1', ruleId: 'door', direction: 'in', count: 1, voided: false, corrected: false, source: 'live' });
    expect(rows[0]!.frameAt).toBe(new Date(T0 + 9000).toISOString());
  });

  it('refuses UPDATE and DELETE of events and amendments at the database level', () => {
    const { db } = open();
    const l = new LedgerRepository(db);
    const [e] = l.append([cross(1, 'in', 1)]);
    expect(() => db.prepare("UPDATE ledger_events SET direction = 'out'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM ledger_events').run()).toThrow(/immutable/);
    l.void(e!.id, 'double count');
    expect(() => db.prepare('DELETE FROM ledger_amendments').run()).toThrow(/immutable/);
    expect(() => db.prepare("UPDATE ledger_amendments SET reason = 'x'").run()).toThrow(/immutable/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM ledger_events').get()).toEqual({ n: 1 });
  });

  it('voids and corrects by appending; refuses no reason, unknown ids and a second void without changing anything', () => {
    const { db } = open();
    const l = new LedgerRepository(db);
    const [a, b] = l.append([cross(1, 'in', 1), cross(2, 'in', 2)]);
    const amendments = () => (db.prepare('SELECT COUNT(*) AS n FROM ledger_amendments').get() as { n: number }).n;
    expect(() => l.void(a!.id, '   ')).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(() => l.void('01ARZ3NDEKTSV4RRFFQ69G5FAV', 'x')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(l.void(a!.id, 'a shadow', 'sam')).toMatchObject({ voided: true, direction: 'in', voidedBy: 'sam', voidReason: 'a shadow', correctedBy: null });
    expect(() => l.void(a!.id, 'again')).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => l.correct(a!.id, 'x', { direction: 'out' })).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(amendments()).toBe(1);
    const c = l.correct(b!.id, 'walked back', { direction: 'out' });
    expect(c).toMatchObject({ direction: 'out', originalDirection: 'in', corrected: true, count: 1, correctionReason: 'walked back', voidedBy: null });
    expect(l.correct(b!.id, 'two people', { count: 2 }, 'kim')).toMatchObject({ direction: 'out', count: 2, correctedBy: 'kim', correctionReason: 'two people' }); // the latest correction's
    expect(() => l.correct(b!.id, 'same again', { direction: 'out', count: 2 })).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    expect(l.totals({ toMs: T0 + 60_000 })).toEqual([{ cameraId: 'cam1', ruleId: 'door', in: 0, out: 2, enter: 0, exit: 0, occupancy: 0, alarms: 0 }]);
    expect(l.list({ includeVoided: false }).map((r) => r.id)).toEqual([b!.id]);
  });

  it('derives totals over a time range and occupancy since the last reset', () => {
    const { db } = open();
    const l = new LedgerRepository(db);
    l.append([cross(1, 'in', 1), cross(2, 'in', 2), cross(3, 'out', 30), zone(1, 'zone.enter', 1), zone(2, 'zone.enter', 2), zone(3, 'zone.enter', 3), zone(1, 'zone.exit', 10), zone(2, 'zone.loiter', 20)]);
    const at = (sec: number) => l.totals({ toMs: T0 + sec * 1000 });
    expect(at(60)).toEqual([
      { cameraId: 'cam1', ruleId: 'door', in: 2, out: 1, enter: 0, exit: 0, occupancy: 0, alarms: 0 },
      { cameraId: 'cam1', ruleId: 'lobby', in: 0, out: 0, enter: 3, exit: 1, occupancy: 2, alarms: 1 },
    ]);
    expect(l.totals({ ruleId: 'door', fromMs: T0 + 1500, toMs: T0 + 60_000 })).toMatchObject([{ in: 1, out: 1 }]);
    expect(at(2.5).find((t) => t.ruleId === 'lobby')!.occupancy).toBe(2);
    l.resetOccupancy('cam1', 'lobby', 'night reset', T0 + 15_000);
    expect(at(60).find((t) => t.ruleId === 'lobby')!.occupancy).toBe(0);
    expect(at(12).find((t) => t.ruleId === 'lobby')!.occupancy).toBe(2); // before the reset
    expect(() => l.resetOccupancy('cam1', 'lobby', '')).toThrow(/reason/);
  });

  it('pages newest first by cursor and filters by camera, rule, type and time', () => {
    const { db } = open();
    const l = new LedgerRepository(db);
    l.append(Array.from({ length: 25 }, (_, i) => cross(i + 1, i % 2 ? 'in' : 'out', i)));
    l.append([zone(1, 'zone.enter', 3), { ...cross(99, 'in', 4), cameraId: 'cam2' }]);
    const p1 = l.list({ ruleId: 'door', cameraId: 'cam1', limit: 10 });
    const p2 = l.list({ ruleId: 'door', cameraId: 'cam1', limit: 10, beforeId: p1.at(-1)!.id });
    const p3 = l.list({ ruleId: 'door', cameraId: 'cam1', limit: 10, beforeId: p2.at(-1)!.id });
    expect([...p1, ...p2, ...p3].map((r) => r.trackId)).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    expect(l.list({ types: ['zone.enter'] }).map((r) => r.ruleId)).toEqual(['lobby']);
    expect(l.list({ fromMs: T0 + 10_000, toMs: T0 + 12_000 }).map((r) => r.trackId)).toEqual([12, 11]);
  });

  it('gives the same totals after the app restarts (database reopened)', () => {
    const { db, dir } = open();
    const l = new LedgerRepository(db);
    l.append([cross(1, 'in', 1), cross(2, 'out', 2), zone(1, 'zone.enter', 1)]);
    const [x] = l.append([cross(3, 'in', 3)]);
    l.correct(x!.id, 'wrong way', { direction: 'out' });
    const before = l.totals({ toMs: T0 + 60_000 });
    db.close();
    const again = new LedgerRepository(open(dir).db);
    expect(again.totals({ toMs: T0 + 60_000 })).toEqual(before);
    expect(before.find((t) => t.ruleId === 'door')).toMatchObject({ in: 1, out: 2 });
  });
});
