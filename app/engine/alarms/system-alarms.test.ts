import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { AlarmViewSchema, type SystemAlarmDetail } from '../../shared/domain/alarms';
import { nullLogger } from '../logging/logger';
import { migrate, openDatabase, type Db } from '../storage/database';
import { migrations } from '../storage/migrations';
import { AlarmStore } from './alarm-store';
import { SystemHealthDetector, type ExportHealthFacts, type SinkBacklogFacts, type SystemHealthSignal } from './system-health';

const dbs: Db[] = [];
const tmp = tempDirs('wr-sysalarms-');
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.open) d.close();
});

const sink = (over: Partial<SinkBacklogFacts> = {}): SinkBacklogFacts => ({ id: 'S1', name: 'HQ', enabled: true, backlog: 0, oldestAgeMs: null, ageThresholdMs: 60_000, countThreshold: 10, ...over });
const facts = (sinks: SinkBacklogFacts[], outbox: Partial<ExportHealthFacts['outbox']> = {}): ExportHealthFacts => ({
  outbox: { rows: 0, undelivered: 0, cap: 100, warnRatio: 0.8, droppedTotal: 0, ...outbox },
  sinks,
});
const backlogDetail = (over: Partial<Extract<SystemAlarmDetail, { condition: 'export-backlog' }>> = {}): SystemAlarmDetail => ({
  condition: 'export-backlog',
  sinkId: 'S1',
  sinkName: 'HQ',
  backlog: 12,
  oldestAgeMs: 5000,
  ageThresholdMs: 60_000,
  countThreshold: 10,
  ...over,
});

describe('SystemHealthDetector', () => {
  it('signals edges only: backlog past either threshold, drained below both; a paused sink is not judged; a removed sink clears', () => {
    const got: SystemHealthSignal[] = [];
    const d = new SystemHealthDetector((s) => got.push(s));
    const seen = () => got.splice(0).map((s) => `${s.kind}:${s.subject}:${s.condition}`);
    d.judge(facts([sink({ backlog: 3, oldestAgeMs: 1000 })]));
    expect(seen()).toEqual([]);
    d.judge(facts([sink({ backlog: 10, oldestAgeMs: 1000 })])); // count threshold reached
    expect(seen()).toEqual(['raise:sink:S1:export-backlog']);
    for (let i = 0; i < 5; i++) d.judge(facts([sink({ backlog: 20 + i, oldestAgeMs: 2000 })])); // stays high: nothing new
    expect(seen()).toEqual([]);
    d.judge(facts([sink({ backlog: 2, oldestAgeMs: 90_000 })])); // small but old: still past (age)
    expect(seen()).toEqual([]);
    d.judge(facts([sink({ backlog: 2, oldestAgeMs: 500 })]));
    expect(got.map((s) => s.detail)).toEqual([{ condition: 'export-backlog', sinkId: 'S1', sinkName: 'HQ', backlog: 2, oldestAgeMs: 500, ageThresholdMs: 60_000, countThreshold: 10 }]);
    expect(seen()).toEqual(['clear:sink:S1:export-backlog']);
    d.judge(facts([sink({ backlog: 0, oldestAgeMs: 61_000, countThreshold: null })])); // age alone (count off)
    expect(seen()).toEqual(['raise:sink:S1:export-backlog']);
    d.judge(facts([sink({ enabled: false, backlog: 0, oldestAgeMs: null })])); // paused: state kept as it is
    expect(seen()).toEqual([]);
    d.judge(facts([]));
    expect(got[0]!.reason).toBe('sink removed');
    expect(seen()).toEqual(['clear:sink:S1:export-backlog']);
  });

  it('outbox near its cap: undelivered rows at 80 % raise it; delivered history does not; drops starting fire it again, once', () => {
    const got: SystemHealthSignal[] = [];
    const d = new SystemHealthDetector((s) => got.push(s));
    const seen = () => got.splice(0).map((s) => `${s.kind}:${s.subject}:${s.condition}`);
    d.judge(facts([], { rows: 95, undelivered: 10 }));
    expect(seen()).toEqual([]);
    d.judge(facts([], { rows: 95, undelivered: 80 }));
    expect(got[0]!.detail).toMatchObject({ condition: 'outbox-near-cap', rows: 95, undelivered: 80, cap: 100, droppedTotal: 0 });
    expect(seen()).toEqual(['raise:outbox:outbox-near-cap']);
    d.judge(facts([], { rows: 100, undelivered: 100, droppedTotal: 7 }));
    expect(got[0]!.reason).toBe('7 events dropped at the cap');
    expect(seen()).toEqual(['raise:outbox:outbox-near-cap']);
    d.judge(facts([], { rows: 100, undelivered: 100, droppedTotal: 30 }));
    expect(seen()).toEqual([]);
    d.judge(facts([], { rows: 100, undelivered: 40, droppedTotal: 30 }));
    expect(seen()).toEqual(['clear:outbox:outbox-near-cap']);
  });

  it('resumes the conditions of open, unrecovered alarms: nothing raised twice, an ended one clears at the first judgement', () => {
    const got: SystemHealthSignal[] = [];
    const d = new SystemHealthDetector((s) => got.push(s));
    d.resume([{ detail: backlogDetail() }, { detail: backlogDetail({ sinkId: 'S2', sinkName: 'Gone' }) }]);
    d.judge(facts([sink({ backlog: 50, oldestAgeMs: 1000 })]));
    expect(got.map((s) => `${s.kind}:${s.subject}`)).toEqual(['clear:sink:S2']);
  });
});

describe('system alarms in the alarm store', () => {
  it('open without a camera, found by subject + condition, re-trigger with new figures, and the table refuses a system alarm with a camera', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
    dbs.push(db);
    let now = Date.UTC(2026, 0, 1);
    const store = new AlarmStore(db, () => now);
    const { alarm } = store.open({ kind: 'system', detail: backlogDetail(), priority: 3 }, 'system');
    expect(AlarmViewSchema.parse(alarm)).toEqual(alarm);
    expect(alarm).toMatchObject({ kind: 'system', cameraId: null, subject: 'sink:S1', condition: 'export-backlog', type: 'system.export-backlog', ruleId: null, trackId: null, snapshot: null, detail: { sinkName: 'HQ', backlog: 12 } });
    expect(store.openSystemAlarm('sink:S1', 'export-backlog')?.id).toBe(alarm.id);
    expect(store.openSystemAlarm('sink:S1', 'outbox-near-cap')).toBeUndefined();
    expect(store.openHealthAlarm('sink:S1', 'offline')).toBeUndefined();
    now += 1000;
    store.transition(alarm.id, 'recover', 'system');
    now += 1000;
    const again = store.transition(alarm.id, 'retrigger', 'system', { detail: backlogDetail({ backlog: 40 }) }).alarm;
    expect(again).toMatchObject({ triggerCount: 2, recoveredMs: null, detail: { backlog: 40 } });
    expect(store.activeSystemAlarms().map((a) => a.id)).toEqual([alarm.id]);
    expect(store.list({ cameraId: 'S1' })).toEqual([]); // no camera
    expect(() =>
      db
        .prepare(
          `INSERT INTO alarms (id, kind, camera_id, subject, condition, type, status, priority, base_priority, detail, opened_ms, opened_at, last_trigger_ms, updated_ms)
           VALUES ('X', 'system', 'cam-1', 'outbox', 'outbox-near-cap', 'system.outbox-near-cap', 'new', 1, 1, '{}', 0, '', 0, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO alarms (id, kind, camera_id, condition, type, status, priority, base_priority, opened_ms, opened_at, last_trigger_ms, updated_ms)
           VALUES ('Y', 'health', 'cam-1', 'export-backlog', 'health.export-backlog', 'new', 1, 1, 0, '', 0, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('migration 9 keeps every alarm and its history (foreign keys intact) when rebuilding the table', () => {
    const dir = tmp();
    const db = openDatabase({ dataDir: dir, logger: nullLogger, migrations: migrations.filter((m) => m.version < 9) });
    dbs.push(db);
    // Rows as the version-4 table held them (AlarmStore now writes the version-9 columns).
    const ins = db.prepare(
      `INSERT INTO alarms (id, kind, camera_id, rule_id, condition, track_id, event_id, type, status, priority, base_priority, snapshot, opened_ms, opened_at,
         last_trigger_ms, recovered_ms, recovered_at, acknowledged_ms, acknowledged_at, acknowledged_by, closed_ms, closed_at, closed_by, outcome, comment, updated_ms)
       VALUES (@id, @kind, @camera_id, @rule_id, @condition, @track_id, NULL, @type, @status, 2, 2, @snapshot, 1, 'a', 1, @rec, @rec_at, @ack, @ack_at, @ack_by, @closed, @closed_at, @closed_by, @outcome, @comment, 5)`,
    );
    const none = { rule_id: null, condition: null, track_id: null, snapshot: null, rec: null, rec_at: null, ack: null, ack_at: null, ack_by: null, closed: null, closed_at: null, closed_by: null, outcome: null, comment: null };
    const rule = { id: 'alarm-rule' };
    const health = { id: 'alarm-health' };
    ins.run({ ...none, id: rule.id, kind: 'rule', camera_id: 'c1', rule_id: 'door', track_id: 3, type: 'zone.intrusion', status: 'closed', snapshot: 's/1.jpg', ack: 2, ack_at: 'b', ack_by: 'ana', closed: 3, closed_at: 'c', closed_by: 'ana', outcome: 'test', comment: 'drill' });
    ins.run({ ...none, id: health.id, kind: 'health', camera_id: 'c2', condition: 'frozen', type: 'health.frozen', status: 'new', rec: 4, rec_at: 'd' });
    const step = db.prepare(`INSERT INTO alarm_history (alarm_id, seq, action, from_status, to_status, priority, by_user, at_ms, at, outcome, comment) VALUES (?, ?, ?, ?, ?, 2, ?, ?, 'x', ?, ?)`);
    step.run(rule.id, 1, 'open', null, 'new', 'system', 1, null, null);
    step.run(rule.id, 2, 'acknowledge', 'new', 'acknowledged', 'ana', 2, null, null);
    step.run(rule.id, 3, 'close', 'acknowledged', 'closed', 'ana', 3, 'test', 'drill');
    step.run(health.id, 1, 'open', null, 'new', 'system', 1, null, null);
    step.run(health.id, 2, 'recover', 'new', 'new', 'system', 4, null, null);
    const before = db.prepare('SELECT * FROM alarms ORDER BY id').all();
    const history = db.prepare('SELECT * FROM alarm_history ORDER BY id').all();
    expect(migrate(db, migrations.filter((m) => m.version <= 9))).toEqual([9]);
    expect(db.prepare('SELECT * FROM alarms ORDER BY id').all()).toEqual((before as Array<Record<string, unknown>>).map((r) => ({ ...r, subject: null, detail: null })));
    expect(db.prepare('SELECT * FROM alarm_history ORDER BY id').all()).toEqual(history);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare(`INSERT INTO alarm_history (alarm_id, seq, action, to_status, priority, by_user, at_ms, at) VALUES ('nope', 1, 'open', 'new', 1, 'x', 0, '')`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('DELETE FROM alarm_history').run()).toThrow(/immutable/);
    const names = (db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'alarms' AND type = 'index' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['alarms_open', 'alarms_opened', 'alarms_rule', 'alarms_subject_open']));
    // The views read back the same as before, now with their kind.
    const again = new AlarmStore(db);
    expect(again.get(rule.id)).toMatchObject({ kind: 'rule', cameraId: 'c1', ruleId: 'door', status: 'closed', outcome: 'test', closedBy: 'ana', subject: null, detail: null });
    expect(again.get(health.id)).toMatchObject({ kind: 'health', cameraId: 'c2', condition: 'frozen', status: 'new' });
    expect(again.history(rule.id).map((h) => `${h.action}:${h.by}`)).toEqual(['open:system', 'acknowledge:ana', 'close:ana']);
  });
});
