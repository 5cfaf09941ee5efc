import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Box } from '../../shared/domain/detection';
import { LineRuleSchema, ZoneRuleSchema } from '../../shared/domain/rules';
import { nullLogger } from '../logging/logger';
import { dryRunRules } from '../rules/dry-run';
import { personBox, rng } from '../rules/synthetic.test-support';
import { openDatabase, type Db } from '../storage/database';
import type { TrackedObject } from '../tracking/byte-tracker';
import { packSamples, TrackRecorder, TrackStore, unpackSamples, type CompactTrack } from './track-store';

const dirs: string[] = [];
const dbs: Db[] = [];
function open(): Db {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-tracks-'));
  dirs.push(d);
  const db = openDatabase({ dataDir: d, logger: nullLogger });
  dbs.push(db);
  return db;
}
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const obj = (id: number, box: Box, over: Partial<TrackedObject> = {}): TrackedObject => ({
  id, cls: 'person', classId: 0, box, score: 0.9, confirmed: true, predicted: false, stationary: false, moved: true, velocity: [0, 0], detection: 0, born: 0, firstBox: box, ...over,
});

/** People walking vertically through the frame at 10 fps; returns per-frame track lists (wall ms) and raw paths. */
function walkers(n: number, seed: number): { frames: Array<{ ms: number; tracks: TrackedObject[] }>; raw: Array<{ id: number; cls: string; samples: Array<{ t: number; box: Box }> }> } {
  const r = rng(seed);
  // Up and down lanes far apart, so no walker is taken for the successor of one that just left (re-association).
  const people = Array.from({ length: n }, (_, i) => {
    const up = r() < 0.55;
    return { id: i + 1, start: i * 1.5 + r(), up, x: (up ? 0.1 : 0.8) + r() * 0.1, speed: 0.25 + r() * 0.2 };
  });
  const frames: Array<{ ms: number; tracks: TrackedObject[] }> = [];
  const raw = people.map((p) => ({ id: p.id, cls: 'person', samples: [] as Array<{ t: number; box: Box }> }));
  for (let f = 0; f < (n * 1.5 + 6) * 10; f++) {
    const t = f / 10;
    const tracks: TrackedObject[] = [];
    people.forEach((p, i) => {
      const dt = t - p.start;
      const y = p.up ? 0.95 - dt * p.speed : 0.2 + dt * p.speed;
      if (dt < 0 || y < 0.2 || y > 0.95) return;
      const box = personBox(p.x, y - 0.15);
      tracks.push(obj(p.id, box));
      raw[i]!.samples.push({ t, box });
    });
    frames.push({ ms: 1_000_000 + f * 100, tracks });
  }
  return { frames, raw };
}

const line = LineRuleSchema.parse({ id: 'door', type: 'line', points: [[0.05, 0.5], [0.95, 0.5]] });

describe('TrackRecorder / TrackStore', () => {
  it('packs samples compactly and losslessly enough (1/65535)', () => {
    const s = [{ ms: 5000, box: [0.1, 0.2, 0.3, 0.4] as Box, score: 0.9 }, { ms: 5250, box: [0.11, 0.2, 0.31, 0.4] as Box, score: 0.8 }];
    const buf = packSamples(s);
    expect(buf.length).toBe(28);
    const back = unpackSamples(buf, 5000);
    back.forEach((b, i) => {
      expect(b.ms).toBe(s[i]!.ms);
      b.box.forEach((v, j) => expect(v).toBeCloseTo(s[i]!.box[j]!, 4));
    });
  });

  it('downsamples, skips tentative and predicted observations, and closes vanished tracks', () => {
    const rec = new TrackRecorder('cam1');
    const done: CompactTrack[] = [];
    for (let f = 0; f < 30; f++) {
      const y = 0.2 + f * 0.02;
      done.push(...rec.observe([obj(1, personBox(0.5, y)), obj(0, personBox(0.1, 0.1), { confirmed: false }), obj(2, personBox(0.8, 0.5), { predicted: f > 0 })], f * 100));
    }
    done.push(...rec.observe([], 3000));
    const one = done.find((t) => t.trackId === 1)!;
    expect(one.samples.length).toBeGreaterThan(5);
    expect(one.samples.length).toBeLessThan(15); // 30 frames at 10 fps -> every ~0.3 s
    expect(one.samples[0]!.ms).toBe(0);
    expect(one.samples.at(-1)!.ms).toBe(2900); // the last observation is kept
    expect(done.find((t) => t.trackId === 2)!.samples).toHaveLength(1);
    expect(done.some((t) => t.trackId === 0)).toBe(false);
    expect(rec.flush()).toEqual([]);
  });

  it('dry-runs a rule on stored tracks with the same result as on the full-rate tracks', () => {
    const db = open();
    const store = new TrackStore(db);
    const rec = new TrackRecorder('cam1');
    const { frames, raw } = walkers(30, 7);
    for (const f of frames) store.insert(rec.observe(f.tracks, f.ms));
    store.insert(rec.flush());
    const stored = db.prepare('SELECT COUNT(*) AS n, SUM(point_count) AS pts FROM tracks').get() as { n: number; pts: number };
    expect(stored.n).toBe(30);
    expect(stored.pts).toBeLessThan(raw.reduce((s, t) => s + t.samples.length, 0) / 2);

    const full = dryRunRules([line], raw).counters['door'] as { in: number; out: number };
    expect(full.in + full.out).toBe(30);
    const dry = store.dryRunRule('cam1', line, 1_000_000 - 1);
    expect({ in: dry.in, out: dry.out, tracks: dry.tracks }).toEqual({ in: full.in, out: full.out, tracks: 30 });
    expect(store.dryRunRule('cam2', line, 0)).toMatchObject({ in: 0, out: 0, tracks: 0 });

    const z = ZoneRuleSchema.parse({ id: 'z', type: 'zone', points: [[0, 0], [1, 0], [1, 0.5], [0, 0.5]], loiterSeconds: 0.5 });
    const zd = store.dryRunRule('cam1', z, 0);
    expect(zd.enter).toBe(30);
    expect(zd.exit).toBe(30);
    expect(zd.alarms).toBe(30);
    expect(store.stats('cam1', 0).tracks).toBe(30);
    expect(store.prune(Number.MAX_SAFE_INTEGER)).toBe(30);
  });

  it('merges the segments of a long track', () => {
    const db = open();
    const store = new TrackStore(db);
    const rec = new TrackRecorder('cam1', { maxSegmentS: 1 });
    for (let f = 0; f <= 40; f++) store.insert(rec.observe([obj(1, personBox(0.5, 0.9 - f * 0.015))], f * 100));
    store.insert(rec.flush());
    expect((db.prepare('SELECT COUNT(*) AS n FROM tracks').get() as { n: number }).n).toBeGreaterThan(2);
    const [t] = store.load('cam1', 0);
    expect(t!.samples[0]!.ms).toBe(0);
    expect(t!.samples.at(-1)!.ms).toBe(4000);
    expect(store.dryRunRule('cam1', line, 0)).toMatchObject({ in: 1, out: 0, tracks: 1 });
  });
});
