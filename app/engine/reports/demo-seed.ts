import { DateTime } from 'luxon';
import { ulid } from 'ulid';
import { parseRulesFile } from '../../shared/domain/rules';
import { AlarmStore } from '../alarms/alarm-store';
import { LedgerRepository, type LedgerEventInput } from '../ledger/ledger.repository';
import { CameraRepository } from '../storage/camera.repository';
import type { Db } from '../storage/database';
import { SqliteRulesRepository } from '../storage/rules.repository';
import { plaintextSecretBox } from '../storage/secret-box';
import { SettingsRepository } from '../storage/settings.repository';
import { OccurrenceBookRepository } from './occurrence-book.repository';
import { DEFAULT_SHIFTS, shiftAt } from './period';
import { SITE_NAME_KEY, SITE_TIME_ZONE_KEY } from './time-buckets';

export interface DemoSeedOptions {
  days: number;
  /** Local end of the seeded range (exclusive), default: now. */
  endMs?: number;
  zone: string;
  seed?: number;
}

export interface DemoSeedResult {
  cameras: number;
  events: number;
  voided: number;
  corrected: number;
  entries: number;
  incidents: number;
  signoffs: number;
  /** Alarms opened (rule alarms from the seeded loiter/intrusion events, health alarms from offline incidents). */
  alarms: number;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson sample (Knuth; small means). */
function poisson(r: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  while (k < 500) {
    p *= r();
    if (p <= l) break;
    k++;
  }
  return k;
}

/** People per hour through a door: morning, lunch and evening peaks; quiet nights; weekends at a third. */
function rhythm(hour: number, weekday: number): number {
  const peak = (h: number, at: number, width: number, height: number) => height * Math.exp(-((h - at) ** 2) / (2 * width ** 2));
  const base = 2 + peak(hour, 8.5, 1, 60) + peak(hour, 12.5, 1.2, 30) + peak(hour, 17.5, 1.1, 55) + (hour >= 7 && hour <= 19 ? 10 : 0);
  return weekday >= 6 ? base / 3 : base;
}

const ENTRIES = [
  'Patrol of the car park completed, all gates locked.',
  'Delivery van at the loading bay, driver signed in.',
  'Fire door on level 2 found propped open; closed it.',
  'Visitor without badge escorted to reception.',
  'Lights out in the east stairwell, reported to facilities.',
  'Cleaning crew arrived and signed in.',
  'Alarm panel test with the monitoring centre, all zones OK.',
];

/**
 * Seeds a realistic site for demos, screenshots and tests: three cameras with line and zone rules, a month of
 * ledger rows with daily and weekly rhythms (crossings, zone visits, loitering and intrusion alarms), a few
 * voids and corrections, occurrence-book entries, camera incidents, shift sign-offs and alarms with outcomes and history.
 */
export function seedDemoData(db: Db, o: DemoSeedOptions): DemoSeedResult {
  const r = rng(o.seed ?? 42);
  const settings = new SettingsRepository(db);
  if (settings.get(SITE_TIME_ZONE_KEY) === undefined) settings.set(SITE_TIME_ZONE_KEY, o.zone);
  if (settings.get(SITE_NAME_KEY) === undefined) settings.set(SITE_NAME_KEY, 'Harbour Point Offices');
  const camerasRepo = new CameraRepository(db, plaintextSecretBox);
  const rulesRepo = new SqliteRulesRepository(db);
  const specs = [
    { name: 'Main entrance', line: 'main-door', lineName: 'Main door', zone: 'lobby', zoneName: 'Lobby', scale: 1 },
    { name: 'Staff entrance', line: 'staff-door', lineName: 'Staff door', zone: null, zoneName: null, scale: 0.45 },
    { name: 'Car park', line: 'barrier', lineName: 'Barrier', zone: 'bays', zoneName: 'Visitor bays', scale: 0.3 },
  ];
  const existing = new Map(camerasRepo.list().map((c) => [c.name, c.id]));
  const cams = specs.map((s) => {
    const id = existing.get(s.name) ?? camerasRepo.insert({ name: s.name, source: `/srv/footage/${s.line}.mp4`, rtspTransport: 'tcp', analysisFps: 5, enabled: false, modelId: null }).id;
    const rules = [{ id: s.line, name: s.lineName, type: 'line', points: [[0.1, 0.6], [0.9, 0.6]] }] as unknown[];
    if (s.zone) rules.push({ id: s.zone, name: s.zoneName, type: 'zone', points: [[0.2, 0.2], [0.8, 0.2], [0.8, 0.5], [0.2, 0.5]], loiterSeconds: 120 });
    rulesRepo.save({ cameraId: id, rules: parseRulesFile({ rules }).rules, updatedAt: new Date().toISOString() });
    return { ...s, id };
  });

  const end = DateTime.fromMillis(o.endMs ?? Date.now(), { zone: o.zone });
  const start = end.minus({ days: o.days }).startOf('day');
  const ledger = new LedgerRepository(db);
  let events = 0;
  let track = 1;
  const batch: LedgerEventInput[] = [];
  const flush = () => {
    events += ledger.append(batch.splice(0)).length;
  };
  for (let h = start; h < end; h = h.plus({ hours: 1 })) {
    for (const c of cams) {
      const mean = rhythm(h.hour + 0.5, h.weekday) * c.scale;
      const people = poisson(r, mean);
      for (let i = 0; i < people; i++) {
        const at = h.toMillis() + Math.floor(r() * 3600_000);
        if (at >= end.toMillis()) continue;
        const morning = h.hour < 12;
        const dir: 'in' | 'out' = r() < (morning ? 0.8 : 0.25) ? 'in' : 'out';
        const cls = c.name === 'Car park' ? (r() < 0.8 ? 'car' : 'person') : r() < 0.97 ? 'person' : 'bicycle';
        const t = track++;
        batch.push({ cameraId: c.id, ruleId: c.line, trackId: t, cls, type: 'line.cross', direction: dir, confidence: 0.6 + r() * 0.39, frameMs: at, source: 'live' });
        if (c.zone && r() < 0.5) {
          const dwell = 20_000 + Math.floor(r() * 600_000);
          batch.push({ cameraId: c.id, ruleId: c.zone, trackId: t, cls, type: 'zone.enter', confidence: 0.8, frameMs: at + 2000, source: 'live' });
          if (at + 2000 + dwell < end.toMillis()) batch.push({ cameraId: c.id, ruleId: c.zone, trackId: t, cls, type: 'zone.exit', confidence: 0.8, frameMs: at + 2000 + dwell, source: 'live' });
          if (dwell > 590_000) batch.push({ cameraId: c.id, ruleId: c.zone, trackId: t, cls, type: 'zone.loiter', confidence: 0.8, frameMs: at + 122_000, source: 'live', detail: { dwellSeconds: 120 } });
        }
      }
      // Night intrusions in the car park, now and then.
      if (c.zone === 'bays' && (h.hour < 5 || h.hour >= 23) && r() < 0.04) {
        batch.push({ cameraId: c.id, ruleId: c.zone, trackId: track++, cls: 'person', type: 'zone.intrusion', confidence: 0.7, frameMs: h.toMillis() + Math.floor(r() * 3600_000), source: 'live' });
      }
    }
    if (batch.length > 2000) flush();
  }
  flush();

  // Supervisors' amendments: a few voids and corrections.
  const ids = db.prepare("SELECT id FROM ledger_events WHERE type = 'line.cross' AND frame_ms >= ? AND frame_ms < ? ORDER BY id").all(start.toMillis(), end.toMillis()) as Array<{ id: string }>;
  let voided = 0;
  let corrected = 0;
  for (let i = 0; i < ids.length; i += 1 + Math.floor(r() * 400)) {
    const id = ids[i]!.id;
    if (r() < 0.5) {
      ledger.void(id, 'Double count: the same person turned back at the door', 'supervisor');
      voided++;
    } else {
      ledger.correct(id, 'Two people walked through together', { count: 2 }, 'supervisor');
      corrected++;
    }
  }

  // Occurrence book, incidents and sign-offs per shift.
  const book = new OccurrenceBookRepository(db);
  let entries = 0;
  let signoffs = 0;
  let incidents = 0;
  const officers = ['j.okafor', 'm.lindqvist', 'a.rahman'];
  for (let s = shiftAt(start.toMillis(), o.zone, DEFAULT_SHIFTS); s.to <= end.toMillis(); s = shiftAt(s.to, o.zone, DEFAULT_SHIFTS)) {
    const officer = officers[Math.floor(r() * officers.length)]!;
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      book.add(ENTRIES[Math.floor(r() * ENTRIES.length)]!, officer, s.from + Math.floor(r() * (s.to - s.from)));
      entries++;
    }
    if (r() < 0.15) {
      const cam = cams[Math.floor(r() * cams.length)]!;
      const from = s.from + Math.floor(r() * (s.to - s.from - 3600_000));
      db.prepare('INSERT INTO camera_incidents (id, camera_id, state, from_ms, to_ms, detail) VALUES (?, ?, ?, ?, ?, ?)').run(ulid(from), cam.id, r() < 0.5 ? 'offline' : 'stalled', from, from + 60_000 + Math.floor(r() * 1800_000), 'Connection refused by the camera');
      incidents++;
    }
    if (!book.signoffOf(s.from, s.to)) {
      book.signOff(s.from, s.to, officer, 'Handed over, nothing outstanding.', s.to);
      signoffs++;
    }
  }
  const alarms = seedAlarms(db, { seed: (o.seed ?? 42) + 1, from: start.toMillis(), to: end.toMillis(), officers });
  return { cameras: cams.length, events, voided, corrected, entries, incidents, signoffs, alarms };
}

const CLOSE_COMMENTS = {
  'true-alarm': ['Person in the car park after hours; security attended, left the site.', 'Loitering at the lobby confirmed, visitor asked to sign in.'],
  'false-alarm': ['Cleaner with a trolley.', 'Shadow from a passing car.', 'Staff member waiting for a taxi.'],
  test: ['Monthly test with the monitoring centre.'],
} as const;

/**
 * Alarms the way the app records them: through AlarmStore (the one writer of `alarms` + `alarm_history`), with its
 * clock set to each step's time. Every seeded loiter/intrusion event opens a rule alarm, every offline incident a
 * health alarm; officers acknowledge within minutes, sometimes hold and resume, and close with an outcome and a
 * comment. Alarms of the last half hour stay open. A separate random stream keeps the rest of the seed unchanged.
 */
function seedAlarms(db: Db, o: { seed: number; from: number; to: number; officers: string[] }): number {
  const r = rng(o.seed);
  const clock = { t: o.from };
  const store = new AlarmStore(db, () => clock.t);
  const events = db
    .prepare("SELECT id, camera_id, rule_id, track_id, type, frame_ms FROM ledger_events WHERE type IN ('zone.loiter', 'zone.intrusion') AND frame_ms >= ? AND frame_ms < ? ORDER BY frame_ms, id")
    .all(o.from, o.to) as Array<{ id: string; camera_id: string; rule_id: string; track_id: number; type: string; frame_ms: number }>;
  const offline = db
    .prepare("SELECT camera_id, from_ms, to_ms FROM camera_incidents WHERE state = 'offline' AND from_ms >= ? AND from_ms < ? ORDER BY from_ms")
    .all(o.from, o.to) as Array<{ camera_id: string; from_ms: number; to_ms: number | null }>;
  type Opening = { at: number; open: () => string; recoverAt: number | null };
  const openings: Opening[] = [
    ...events.map((e) => ({
      at: e.frame_ms,
      recoverAt: null,
      open: () => store.open({ kind: 'rule', cameraId: e.camera_id, ruleId: e.rule_id, trackId: e.track_id, eventId: e.id, type: e.type, priority: e.type === 'zone.intrusion' ? 2 : 4, snapshot: null }, 'system').alarm.id,
    })),
    ...offline.map((i) => ({ at: i.from_ms, recoverAt: i.to_ms, open: () => store.open({ kind: 'health', cameraId: i.camera_id, condition: 'offline', priority: 3 }, 'system').alarm.id })),
  ].sort((a, b) => a.at - b.at);
  let n = 0;
  // Bounded: one alarm per seeded event/incident, a handful of steps each.
  for (const x of openings) {
    clock.t = x.at;
    const id = x.open();
    n++;
    const officer = o.officers[Math.floor(r() * o.officers.length)]!;
    let t = x.at + 20_000 + Math.floor(r() * 240_000);
    if (t + 1_800_000 >= o.to) continue; // the last half hour: still open
    if (x.recoverAt !== null && x.recoverAt < t) {
      clock.t = x.recoverAt;
      store.transition(id, 'recover', 'system');
    }
    clock.t = t;
    store.transition(id, 'acknowledge', officer);
    if (r() < 0.2) {
      clock.t = t += 60_000 + Math.floor(r() * 600_000);
      store.transition(id, 'hold', officer);
      clock.t = t += 60_000 + Math.floor(r() * 600_000);
      store.transition(id, 'resume', officer);
    }
    const u = r();
    const outcome = x.recoverAt !== null ? 'true-alarm' : u < 0.55 ? 'false-alarm' : u < 0.95 ? 'true-alarm' : 'test';
    const comments = CLOSE_COMMENTS[outcome];
    clock.t = t + 30_000 + Math.floor(r() * 300_000);
    store.transition(id, 'close', officer, { outcome, comment: x.recoverAt !== null ? 'Camera back online; power cycled by facilities.' : r() < 0.8 ? comments[Math.floor(r() * comments.length)]! : null });
  }
  return n;
}
