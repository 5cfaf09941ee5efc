import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { kindOf, type Grain } from '../../shared/domain/reports';
import { LedgerRepository, type LedgerEventInput } from '../ledger/ledger.repository';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { AggregateRepository } from './aggregate.repository';
import { bucketStarts, isoFormatter, isoInZone } from './time-buckets';

const dirs: string[] = [];
const dbs: Db[] = [];
function open(): Db {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-agg-'));
  dirs.push(d);
  const db = openDatabase({ dataDir: d, logger: nullLogger });
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Known {
  input: LedgerEventInput;
  id: string;
  voided: boolean;
  direction: 'in' | 'out' | undefined;
  cls: string;
  count: number;
}

/** Seeds `n` rows over [from, to): lines and zones on two cameras; voids ~10 %, corrects ~10 % (direction, class or count). */
function seed(db: Db, from: number, to: number, n: number, seedNo: number): Known[] {
  const r = rng(seedNo);
  const ledger = new LedgerRepository(db);
  const types = ['line.cross', 'line.cross', 'zone.enter', 'zone.exit', 'zone.loiter'] as const;
  const inputs: LedgerEventInput[] = [];
  for (let i = 0; i < n; i++) {
    const type = types[Math.floor(r() * types.length)]!;
    const cam = r() < 0.5 ? 'cam-a' : 'cam-b';
    inputs.push({
      cameraId: cam,
      ruleId: type === 'line.cross' ? 'door' : 'lobby',
      trackId: i,
      cls: r() < 0.8 ? 'person' : 'car',
      type,
      direction: type === 'line.cross' ? (r() < 0.5 ? 'in' : 'out') : undefined,
      confidence: 0.9,
      frameMs: Math.floor(from + r() * (to - from)),
      source: 'live',
    });
  }
  const inserted = ledger.append(inputs);
  const known: Known[] = inserted.map((e) => ({ input: e, id: e.id, voided: false, direction: e.direction, cls: e.cls, count: 1 }));
  for (const k of known) {
    const x = r();
    if (x < 0.1) {
      ledger.void(k.id, 'double count');
      k.voided = true;
    } else if (x < 0.2) {
      const y = r();
      if (y < 0.33 && k.input.type === 'line.cross') {
        k.direction = k.direction === 'in' ? 'out' : 'in';
        ledger.correct(k.id, 'wrong way', { direction: k.direction });
      } else if (y < 0.66) {
        k.cls = 'bicycle';
        ledger.correct(k.id, 'was a bike', { cls: 'bicycle' });
      } else {
        k.count = 2 + Math.floor(r() * 3);
        ledger.correct(k.id, 'group', { count: k.count });
      }
      // A second correction of some: the latest of each field wins.
      if (r() < 0.3) {
        k.count = 0;
        ledger.correct(k.id, 'not a person', { count: 0 });
      }
    }
  }
  return known;
}

const UNIT = { '15m': 'hour', hour: 'hour', day: 'day', week: 'week', month: 'month' } as const;
function bruteBucket(ms: number, grain: Grain, zone: string): number {
  const dt = DateTime.fromMillis(ms, { zone });
  if (grain === '15m') {
    const m = dt.minute - (dt.minute % 15);
    return dt.set({ minute: m, second: 0, millisecond: 0 }).toMillis();
  }
  return dt.startOf(UNIT[grain]).toMillis();
}

function brute(known: Known[], from: number, to: number, grain: Grain, zone: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of known) {
    const ms = k.input.frameMs;
    if (k.voided || ms < from || ms >= to) continue;
    const b = Math.max(from, bruteBucket(ms, grain, zone));
    const key = [b, k.input.cameraId, k.input.ruleId, k.cls, kindOf(k.input.type, k.direction ?? null)].join('|');
    m.set(key, (m.get(key) ?? 0) + k.count);
  }
  for (const [key, v] of m) if (v === 0) m.delete(key);
  return m;
}

const ZONE = 'Europe/Berlin';
// 27 Mar – 2 Apr 2026 local: clocks go forward on Sun 29 Mar (a 23-hour day); and the autumn change on 25 Oct.
const SPRING = { from: DateTime.fromISO('2026-03-27T00:00', { zone: ZONE }).toMillis(), to: DateTime.fromISO('2026-04-02T00:00', { zone: ZONE }).toMillis() };
const AUTUMN = { from: DateTime.fromISO('2026-10-23T00:00', { zone: ZONE }).toMillis(), to: DateTime.fromISO('2026-11-03T00:00', { zone: ZONE }).toMillis() };

describe('AggregateRepository', () => {
  it('the fast ISO formatter agrees with luxon across both DST changes', () => {
    const fast = isoFormatter(ZONE);
    for (const span of [SPRING, AUTUMN]) for (let t = span.from; t < span.to; t += 7 * 60_000 + 1) expect(fast(t)).toBe(isoInZone(t, ZONE));
    const kathmandu = isoFormatter('Asia/Kathmandu');
    expect(kathmandu(SPRING.from)).toBe(isoInZone(SPRING.from, 'Asia/Kathmandu'));
  });

  it('day buckets of a DST week have 23 and 25 hours', () => {
    const spring = bucketStarts(SPRING.from, SPRING.to, 'day', ZONE);
    const lengths = spring.map((b, i) => ((spring[i + 1] ?? SPRING.to) - b) / 3600_000);
    expect(lengths).toEqual([24, 24, 23, 24, 24, 24]);
    const autumn = bucketStarts(AUTUMN.from, AUTUMN.to, 'day', ZONE);
    expect(((autumn[3]! - autumn[2]!) / 3600_000)).toBe(25); // Sun 25 Oct
    expect(bucketStarts(SPRING.from, SPRING.to, 'hour', ZONE)).toHaveLength(6 * 24 - 1);
    expect(bucketStarts(AUTUMN.from, AUTUMN.to, 'hour', ZONE)).toHaveLength(11 * 24 + 1);
  });

  for (const [name, span] of Object.entries({ spring: SPRING, autumn: AUTUMN })) {
    it(`matches a brute-force count of the rows at every grain across the ${name} DST change (voids and corrections included)`, () => {
      const db = open();
      const known = seed(db, span.from - 86_400_000, span.to + 86_400_000, 3000, name.length);
      const agg = new AggregateRepository(db);
      // Whole period, and an unaligned period (so the first bucket is clipped and the raw-ledger path runs too).
      for (const [from, to] of [[span.from, span.to], [span.from + 7 * 60_000 + 13, span.to - 3_600_000 - 1]] as const) {
        for (const grain of ['15m', 'hour', 'day', 'week', 'month'] as const) {
          const got = new Map(agg.aggregate({ from, to, grain, zone: ZONE }).rows.map((r) => [[r.bucket, r.cameraId, r.ruleId, r.cls, r.kind].join('|'), r.count]));
          expect(got, `${grain} ${from}`).toEqual(brute(known, from, to, grain, ZONE));
        }
      }
      // Totals agree with the ledger's own totals query.
      const rows = agg.aggregate({ from: span.from, to: span.to, grain: 'day', zone: ZONE }).rows;
      const ledgerTotals = new LedgerRepository(db).totals({ fromMs: span.from, toMs: span.to });
      for (const t of ledgerTotals) {
        const sum = (kind: string) => rows.filter((r) => r.cameraId === t.cameraId && r.ruleId === t.ruleId && r.kind === kind).reduce((a, r) => a + r.count, 0);
        expect({ in: sum('in'), out: sum('out'), enter: sum('enter'), exit: sum('exit'), alarms: sum('alarm') }).toEqual({ in: t.in, out: t.out, enter: t.enter, exit: t.exit, alarms: t.alarms });
      }
    });
  }

  it('the rollup is backfilled by the migration and stays in step after later amendments', () => {
    const db = open();
    const known = seed(db, SPRING.from, SPRING.to, 500, 7);
    const sum = () => (db.prepare('SELECT SUM(count) AS n FROM report_rollup_15m').get() as { n: number }).n;
    const effective = () => (db.prepare('SELECT SUM(count) AS n FROM ledger_effective').get() as { n: number }).n;
    expect(sum()).toBe(effective());
    // Rebuild from scratch as the migration would on an existing ledger.
    const before = db.prepare('SELECT * FROM report_rollup_15m ORDER BY 1, 2, 3, 4, 5').all().filter((r) => (r as { count: number }).count !== 0);
    db.exec('DELETE FROM report_rollup_15m');
    db.exec(`INSERT INTO report_rollup_15m SELECT (frame_ms / 900000) * 900000, camera_id, rule_id, cls,
      CASE WHEN type = 'line.cross' THEN (CASE direction WHEN 'out' THEN 'out' ELSE 'in' END) WHEN type = 'zone.enter' THEN 'enter' WHEN type = 'zone.exit' THEN 'exit' ELSE 'alarm' END, SUM(count)
      FROM ledger_effective GROUP BY 1, 2, 3, 4, 5`);
    expect(db.prepare('SELECT * FROM report_rollup_15m ORDER BY 1, 2, 3, 4, 5').all().filter((r) => (r as { count: number }).count !== 0)).toEqual(before);
    new LedgerRepository(db).void(known.find((k) => !k.voided)!.id, 'late void');
    expect(sum()).toBe(effective());
  });

  it('occupancy at bucket ends follows enter − exit since the last reset', () => {
    const db = open();
    const ledger = new LedgerRepository(db);
    const t0 = DateTime.fromISO('2026-03-29T00:00', { zone: ZONE }).toMillis();
    const z = (i: number, type: 'zone.enter' | 'zone.exit', min: number): LedgerEventInput => ({ cameraId: 'c', ruleId: 'z', trackId: i, cls: 'person', type, confidence: 1, frameMs: t0 + min * 60_000, source: 'live' });
    ledger.append([z(1, 'zone.enter', 10), z(2, 'zone.enter', 20), z(3, 'zone.enter', 70), z(1, 'zone.exit', 80), z(4, 'zone.enter', 200)]);
    ledger.resetOccupancy('c', 'z', 'count drifted', t0 + 150 * 60_000);
    const agg = new AggregateRepository(db);
    const ends = [1, 2, 3, 4].map((h) => t0 + h * 3600_000);
    expect(agg.occupancyAt(ends).get('c\u0000z')).toEqual([2, 2, 0, 1]);
    expect(ends.map((e) => ledger.totals({ toMs: e })[0]?.occupancy)).toEqual([2, 2, 0, 1]);
  });
});
