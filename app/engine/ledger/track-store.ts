import { ulid } from 'ulid';
import type { Box } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import { dryRunRules, type StoredTrack } from '../rules/dry-run';
import type { Db } from '../storage/database';
import type { TrackedObject } from '../tracking/byte-tracker';

/** Downsampling of stored tracks. */
export interface TrackRecorderConfig {
  /** A sample is kept when at least this long (s) after the last kept one AND the box centre moved ≥ minMove... */
  minIntervalS: number;
  /** ... (normalised units). */
  minMove: number;
  /** ... or whenever this long (s) passed without a kept sample (a standing object still leaves a trace). */
  maxIntervalS: number;
  /** An open track is written out as a segment after this long (s), so a very long track is not held in memory. */
  maxSegmentS: number;
}

export const DEFAULT_TRACK_RECORDER_CONFIG: TrackRecorderConfig = { minIntervalS: 0.25, minMove: 0.01, maxIntervalS: 2, maxSegmentS: 300 };

/** One sample: wall time (epoch ms), box, score. */
export interface TrackSample {
  ms: number;
  box: Box;
  score: number;
}

/** A finished (or segmented) compact track, ready for TrackStore.insert. */
export interface CompactTrack {
  cameraId: string;
  /** Recorder session (track ids restart with each worker). */
  session: string;
  trackId: number;
  cls: string;
  samples: TrackSample[];
}

interface OpenTrack {
  cls: string;
  samples: TrackSample[];
  /** Last observed (maybe not kept) sample, appended when the track ends. */
  last: TrackSample;
  firstMs: number;
}

const centre = (b: Box): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];

/**
 * Pure, per camera: feed it every analysed frame's tracks; it returns the tracks that ended (or reached the
 * segment length) as compact polylines. Only confirmed, measured observations are kept (what the rules see).
 */
export class TrackRecorder {
  private readonly cfg: TrackRecorderConfig;
  private readonly open = new Map<number, OpenTrack>();
  readonly session = ulid();

  constructor(
    private readonly cameraId: string,
    config: Partial<TrackRecorderConfig> = {},
  ) {
    this.cfg = { ...DEFAULT_TRACK_RECORDER_CONFIG, ...config };
  }

  /** One frame at wall time `wallMs`; returns finished tracks to store. */
  observe(tracks: readonly TrackedObject[], wallMs: number): CompactTrack[] {
    const done: CompactTrack[] = [];
    const alive = new Set<number>();
    for (const tr of tracks) {
      if (!tr.confirmed || tr.id <= 0) continue;
      alive.add(tr.id);
      if (tr.predicted) continue;
      const s: TrackSample = { ms: wallMs, box: [...tr.box] as Box, score: tr.score };
      const o = this.open.get(tr.id);
      if (!o) {
        this.open.set(tr.id, { cls: tr.cls, samples: [s], last: s, firstMs: wallMs });
        continue;
      }
      o.last = s;
      const k = o.samples[o.samples.length - 1]!;
      const dt = (wallMs - k.ms) / 1000;
      const [ax, ay] = centre(k.box);
      const [bx, by] = centre(s.box);
      if ((dt >= this.cfg.minIntervalS && Math.hypot(bx - ax, by - ay) >= this.cfg.minMove) || dt >= this.cfg.maxIntervalS) o.samples.push(s);
      if ((wallMs - o.firstMs) / 1000 >= this.cfg.maxSegmentS) {
        done.push(this.close(tr.id, o));
        this.open.set(tr.id, { cls: o.cls, samples: [s], last: s, firstMs: wallMs });
      }
    }
    for (const [id, o] of this.open) if (!alive.has(id)) done.push(this.close(id, o));
    return done;
  }

  /** Ends every open track (camera stopped). */
  flush(): CompactTrack[] {
    return [...this.open].map(([id, o]) => this.close(id, o));
  }

  private close(id: number, o: OpenTrack): CompactTrack {
    this.open.delete(id);
    const samples = o.samples[o.samples.length - 1] === o.last ? o.samples : [...o.samples, o.last];
    return { cameraId: this.cameraId, session: this.session, trackId: id, cls: o.cls, samples };
  }
}

const SAMPLE_BYTES = 14; // uint32 dt ms, 4 x uint16 box, uint16 score
const q = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 65535);

/** Packs samples into a little-endian blob (box and score quantised to 1/65535). */
export function packSamples(samples: readonly TrackSample[]): Buffer {
  const buf = Buffer.alloc(samples.length * SAMPLE_BYTES);
  const first = samples[0]?.ms ?? 0;
  samples.forEach((s, i) => {
    const o = i * SAMPLE_BYTES;
    buf.writeUInt32LE(Math.min(0xffffffff, Math.max(0, Math.round(s.ms - first))), o);
    s.box.forEach((v, j) => buf.writeUInt16LE(q(v), o + 4 + j * 2));
    buf.writeUInt16LE(q(s.score), o + 12);
  });
  return buf;
}

export function unpackSamples(buf: Buffer, firstMs: number): TrackSample[] {
  const out: TrackSample[] = [];
  for (let o = 0; o + SAMPLE_BYTES <= buf.length; o += SAMPLE_BYTES) {
    const box = [0, 1, 2, 3].map((j) => buf.readUInt16LE(o + 4 + j * 2) / 65535) as Box;
    out.push({ ms: firstMs + buf.readUInt32LE(o), box, score: buf.readUInt16LE(o + 12) / 65535 });
  }
  return out;
}

/** Replay frame period (s): every stored track is interpolated onto this common clock. */
const REPLAY_STEP_S = 0.1;

/**
 * Tracks are stored with their own sparse sample times; the rules engine takes a missing track in a frame for a
 * vanished one. So each track is linearly interpolated onto a clock shared by all tracks (t = 0 at originMs),
 * covering its lifetime (at least one frame).
 */
export function resample(samples: readonly TrackSample[], originMs: number, stepS: number): Array<{ t: number; box: Box; score: number }> {
  if (!samples.length) return [];
  const t0 = (samples[0]!.ms - originMs) / 1000;
  const t1 = (samples[samples.length - 1]!.ms - originMs) / 1000;
  const out: Array<{ t: number; box: Box; score: number }> = [];
  let k = 0;
  const first = Math.ceil(t0 / stepS - 1e-9);
  const last = Math.max(first, Math.floor(t1 / stepS + 1e-9));
  for (let g = first; g <= last; g++) {
    const t = g * stepS;
    const ms = originMs + t * 1000;
    while (k + 1 < samples.length && samples[k + 1]!.ms <= ms) k++;
    const a = samples[k]!;
    const b = samples[Math.min(k + 1, samples.length - 1)]!;
    const f = b.ms > a.ms ? Math.min(1, Math.max(0, (ms - a.ms) / (b.ms - a.ms))) : 0;
    out.push({ t: Math.round(t * 1000) / 1000, box: a.box.map((v, j) => v + (b.box[j]! - v) * f) as Box, score: a.score });
  }
  return out;
}

/** Result of a dry run of one rule. */
export interface DryRunSummary {
  in: number;
  out: number;
  enter: number;
  exit: number;
  alarms: number;
  tracks: number;
  since: number;
}

/** Stored compact tracks: insert, load, prune, and replay through the rules engine. */
export class TrackStore {
  constructor(private readonly db: Db) {}

  insert(tracks: readonly CompactTrack[]): void {
    const stmt = this.db.prepare(
      'INSERT INTO tracks (camera_id, session, track_id, cls, first_ms, last_ms, point_count, points) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const t of tracks) {
        if (!t.samples.length) continue;
        const first = t.samples[0]!.ms;
        stmt.run(t.cameraId, t.session, t.trackId, t.cls, Math.round(first), Math.round(t.samples[t.samples.length - 1]!.ms), t.samples.length, packSamples(t.samples));
      }
    })();
  }

  /** Tracks of a camera that were alive at or after sinceMs, segments of one track merged, in time order. */
  load(cameraId: string, sinceMs: number, untilMs: number = Number.MAX_SAFE_INTEGER): CompactTrack[] {
    const rows = this.db
      .prepare('SELECT session, track_id, cls, first_ms, points FROM tracks WHERE camera_id = ? AND last_ms >= ? AND first_ms < ? ORDER BY first_ms, id')
      .all(cameraId, Math.floor(sinceMs), Math.ceil(untilMs)) as Array<{ session: string; track_id: number; cls: string; first_ms: number; points: Buffer }>;
    const merged = new Map<string, CompactTrack>();
    for (const r of rows) {
      const key = `${r.session}#${r.track_id}`;
      const samples = unpackSamples(r.points, r.first_ms);
      const t = merged.get(key);
      if (t) t.samples.push(...samples.filter((s) => s.ms > (t.samples[t.samples.length - 1]?.ms ?? -Infinity)));
      else merged.set(key, { cameraId, session: r.session, trackId: r.track_id, cls: r.cls, samples });
    }
    return [...merged.values()];
  }

  /** Deletes tracks that ended before beforeMs (retention); returns how many rows went. */
  prune(beforeMs: number): number {
    return this.db.prepare('DELETE FROM tracks WHERE last_ms < ?').run(Math.floor(beforeMs)).changes;
  }

  /** Rough tracker statistics for quality guards: stored tracks and their total lifetime since sinceMs. */
  stats(cameraId: string, sinceMs: number): { tracks: number; trackSeconds: number } {
    const r = this.db
      .prepare('SELECT COUNT(DISTINCT session || \'#\' || track_id) AS n, COALESCE(SUM(last_ms - first_ms), 0) AS ms FROM tracks WHERE camera_id = ? AND last_ms >= ?')
      .get(cameraId, Math.floor(sinceMs)) as { n: number; ms: number };
    return { tracks: r.n, trackSeconds: r.ms / 1000 };
  }

  /**
   * "This rule would have counted 112 in / 97 out and raised 3 alarms": replays the camera's stored tracks since
   * sinceMs through the same rules engine as live analysis.
   */
  dryRunRule(cameraId: string, rule: Rule, sinceMs: number, untilMs?: number): DryRunSummary {
    const tracks = this.load(cameraId, sinceMs, untilMs);
    const stored: StoredTrack[] = tracks.map((t, i) => ({ id: i + 1, cls: t.cls, samples: resample(t.samples, sinceMs, REPLAY_STEP_S) }));
    const { events } = dryRunRules([rule], stored, { wallMs: (t) => sinceMs + t * 1000 });
    const n = (p: (e: (typeof events)[number]) => boolean) => events.filter(p).length;
    return {
      in: n((e) => e.type === 'line.cross' && e.dir === 'in'),
      out: n((e) => e.type === 'line.cross' && e.dir === 'out'),
      enter: n((e) => e.type === 'zone.enter'),
      exit: n((e) => e.type === 'zone.exit'),
      alarms: n((e) => e.type === 'zone.loiter' || e.type === 'zone.intrusion' || e.type === 'zone.overcrowd'),
      tracks: tracks.length,
      since: sinceMs,
    };
  }
}
