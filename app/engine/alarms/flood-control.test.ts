import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import type { FloodState, Shelf } from '../../shared/domain/alarms';
import type { Rule } from '../../shared/domain/rules';
import { alarmsInvoke } from '../../shared/ipc/alarms.contract';
import { MemoryAuditSink } from '../audit/audit-sink';
import type { LedgerRow } from '../ledger/ledger.repository';
import { nullLogger } from '../logging/logger';
import { testAlarmsService } from '../services/alarms-service.test-support';
import { migrate, openDatabase, type Db } from '../storage/database';
import { migrations } from '../storage/migrations';
import { AlarmStore } from './alarm-store';

const tmp = tempDirs('wr-flood-');
const dbs: Db[] = [];
afterEach(() => dbs.splice(0).forEach((d) => d.close()));

const RULES: Rule[] = [
  { id: 'line-1', name: 'Entry line', type: 'line', points: [[0.1, 0.5], [0.9, 0.5]] } as Rule,
  { id: 'zone-1', name: 'Loading bay', type: 'zone', points: [[0.1, 0.1], [0.5, 0.1], [0.5, 0.5]], intrusion: {} } as Rule,
  { id: 'zone-2', type: 'zone', points: [[0.5, 0.5], [0.9, 0.5], [0.9, 0.9]], intrusion: {} } as Rule,
];
let seq = 0;
const row = (ruleId: string, trackId: number, frameMs: number, o: Partial<LedgerRow> = {}): LedgerRow =>
  ({
    id: `E${String(++seq).padStart(25, '0')}`,
    cameraId: 'cam-1',
    ruleId,
    trackId,
    type: ruleId.startsWith('line') ? 'line.cross' : 'zone.intrusion',
    direction: ruleId.startsWith('line') ? (trackId % 2 ? 'in' : 'out') : null,
    cls: 'person',
    count: 1,
    confidence: 0.9,
    frameAt: new Date(frameMs).toISOString(),
    frameMs,
    modelId: null,
    snapshot: `2026-12-07/S${seq}.jpg`,
    source: 'live',
    ...o,
  }) as LedgerRow;

function setup(cameras = ['cam-1']) {
  const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
  dbs.push(db);
  const clock = { now: Date.UTC(2026, 11, 7, 10, 0, 0) };
  const floods: FloodState[] = [];
  const shelves: Shelf[][] = [];
  const audit = new MemoryAuditSink();
  const svc = testAlarmsService(db, {
    now: () => clock.now,
    rulesOf: () => RULES,
    cameraExists: (id) => cameras.includes(id),
    onFlood: (s) => floods.push(s),
    onShelves: (s) => shelves.push(s),
    audit,
  });
  return { svc, clock, floods, shelves, audit };
}

describe('alarm flood control', () => {
  it('folds every repeat of a rule on a camera into its open alarm (any track), with the rule name, latest direction, time and snapshot', () => {
    const { svc, clock } = setup();
    svc.arm({ cameraId: 'cam-1', ruleId: 'line-1', priority: 3 }, 'sam');
    // A looped clip: 40 crossings by 40 different tracks over five minutes.
    for (let i = 1; i <= 40; i++) {
      clock.now += 7_500;
      svc.onLedgerRows('cam-1', [row('line-1', i, clock.now)]);
    }
    const open = svc.list({ status: 'open', limit: 200 });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ ruleId: 'line-1', ruleName: 'Entry line', direction: 'out', triggerCount: 40, lastTriggerMs: clock.now, snapshot: `2026-12-07/S${seq}.jpg`, trackId: 1 });
    expect(svc.store.history(open[0]!.id).map((h) => h.action)).toEqual(['open', ...Array(39).fill('retrigger')]);
    // Closed: the next firing opens a new alarm.
    svc.acknowledge(open[0]!.id, 'ana');
    svc.close({ id: open[0]!.id, outcome: 'true-alarm' }, 'ana');
    clock.now += 1000;
    svc.onLedgerRows('cam-1', [row('line-1', 99, clock.now)]);
    expect(svc.list({ status: 'open', limit: 200 })).toMatchObject([{ triggerCount: 1, direction: 'in', ruleName: 'Entry line' }]);
  });

  it('migration 12 keeps the alarms and arming of an older database: no rule name or direction on them, no rate limit, no shelf', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger, migrations: migrations.filter((m) => m.version < 12) });
    dbs.push(db);
    db.prepare(`INSERT INTO alarm_arming (camera_id, rule_id, priority, schedule, updated_at, updated_by) VALUES ('cam-1', 'line-1', 2, NULL, 'x', 'sam')`).run();
    db.prepare(
      `INSERT INTO alarms (id, kind, camera_id, rule_id, track_id, type, status, priority, base_priority, opened_ms, opened_at, last_trigger_ms, updated_ms)
       VALUES ('01J00000000000000000000000', 'rule', 'cam-1', 'line-1', 3, 'line.cross', 'new', 2, 2, 1, 'a', 1, 1)`,
    ).run();
    expect(migrate(db, migrations.filter((m) => m.version <= 12))).toEqual([12]);
    expect(new AlarmStore(db).get('01J00000000000000000000000')).toMatchObject({ ruleId: 'line-1', ruleName: null, direction: null, triggerCount: 1 });
    const svc = testAlarmsService(db, { rulesOf: () => RULES });
    expect(svc.arming().rules).toEqual([{ cameraId: 'cam-1', ruleId: 'line-1', priority: 2 }]);
    expect(svc.listShelves({ endedWithinH: 168 })).toEqual([]);
    // The old alarm is still open: the next crossing folds into it and names it.
    svc.onLedgerRows('cam-1', [row('line-1', 8, Date.now())]);
    expect(svc.list({ status: 'open', limit: 10 })).toMatchObject([{ id: '01J00000000000000000000000', triggerCount: 2, ruleName: 'Entry line', direction: 'out' }]);
  });

  it('a rule past its rate limit opens no more alarms in that hour (its events stay in the ledger); the limit is kept with the arming', () => {
    const { svc, clock } = setup();
    expect(svc.arm({ cameraId: 'cam-1', ruleId: 'zone-1', priority: 2, maxPerHour: 2 }, 'sam').rules).toEqual([{ cameraId: 'cam-1', ruleId: 'zone-1', priority: 2, maxPerHour: 2 }]);
    const fireAndClose = () => {
      clock.now += 60_000;
      const [a] = svc.onLedgerRows('cam-1', [row('zone-1', 1, clock.now)]);
      if (a) {
        svc.acknowledge(a.id, 'ana');
        svc.close({ id: a.id, outcome: 'false-alarm' }, 'ana');
      }
      return a;
    };
    expect(fireAndClose()).toBeDefined();
    expect(fireAndClose()).toBeDefined();
    expect(fireAndClose()).toBeUndefined();
    expect(fireAndClose()).toBeUndefined();
    expect(svc.rateLimited.get('cam-1/zone-1')).toBe(2);
    clock.now += 3_600_000;
    expect(fireAndClose()).toBeDefined();
    expect(svc.list({ status: 'closed', limit: 200 })).toHaveLength(3);
  });

  it('shelving silences a rule for its time with a reason, counts what it held back, and the timer restores it (audited as the system)', () => {
    const { svc, clock, shelves, audit } = setup();
    svc.arm({ cameraId: 'cam-1', ruleId: 'zone-1', priority: 2 }, 'sam');
    expect(() => svc.shelve({ cameraId: 'cam-1', ruleId: 'zone-2', minutes: 15, reason: 'cleaners' }, 'ana')).toThrow('This rule is not armed, so it raises no alarm to shelve.');
    const shelf = svc.shelve({ cameraId: 'cam-1', ruleId: 'zone-1', minutes: 15, reason: 'Cleaners in the bay' }, 'ana');
    expect(shelf).toMatchObject({ cameraId: 'cam-1', ruleId: 'zone-1', ruleName: 'Loading bay', reason: 'Cleaners in the bay', shelvedBy: 'ana', untilMs: clock.now + 15 * 60_000, endedMs: null });
    expect(shelves.at(-1)).toHaveLength(1);
    for (let i = 0; i < 5; i++) {
      clock.now += 60_000;
      expect(svc.onLedgerRows('cam-1', [row('zone-1', i, clock.now)])).toEqual([]);
    }
    svc.tick();
    expect(svc.listShelves({ endedWithinH: 0 })).toMatchObject([{ heldBack: 5, endedMs: null }]);
    expect(shelves.at(-1)).toMatchObject([{ heldBack: 5 }]); // pushed as it counts
    clock.now = shelf.untilMs;
    svc.tick();
    expect(svc.listShelves({ endedWithinH: 0 })).toEqual([]);
    expect(svc.listShelves({ endedWithinH: 1 })).toMatchObject([{ id: shelf.id, heldBack: 5, endedBy: 'timer', endedMs: shelf.untilMs }]);
    expect(shelves.at(-1)).toEqual([]);
    expect(audit.entries).toMatchObject([{ action: 'alarms.unshelve', actor: 'system', target: 'camera:cam-1/rule:zone-1', detail: { by: 'timer', shelvedBy: 'ana', heldBack: 5 } }]);
    clock.now += 1000;
    expect(svc.onLedgerRows('cam-1', [row('zone-1', 9, clock.now)])).toHaveLength(1);
    // Unshelving by hand ends it at once; the contract keeps shelves between 15 minutes and 8 hours, with a reason.
    svc.shelve({ cameraId: 'cam-1', ruleId: 'zone-1', minutes: 480, reason: 'storm' }, 'ana');
    expect(svc.unshelve({ cameraId: 'cam-1', ruleId: 'zone-1' }, 'bo')).toMatchObject({ endedBy: 'bo' });
    expect(() => svc.unshelve({ cameraId: 'cam-1', ruleId: 'zone-1' }, 'bo')).toThrow('This rule is not shelved.');
    const input = alarmsInvoke['alarms:shelve'].input;
    expect(input.safeParse({ cameraId: 'cam-1', ruleId: 'zone-1', minutes: 14, reason: 'storm' }).error?.issues[0]?.message).toBe('Shelve for 15 minutes at least.');
    expect(input.safeParse({ cameraId: 'cam-1', ruleId: 'zone-1', minutes: 481, reason: 'storm' }).error?.issues[0]?.message).toBe('Shelve for 8 hours at most.');
    expect(input.safeParse({ cameraId: 'cam-1', ruleId: 'zone-1', minutes: 60, reason: ' ' }).error?.issues[0]?.message).toBe('Say why the rule is shelved (3 characters at least).');
  });

  it('the site enters the flood state when more alarms open within the window than the threshold, holds escalation during it, and clears by itself', () => {
    const { svc, clock, floods } = setup(['cam-1', 'cam-2', 'cam-3']);
    svc.setSettings({ floodThreshold: 3, floodWindowS: 600, escalateAfterS: 60 });
    svc.onHealth({ cameraId: 'cam-1', condition: 'offline', kind: 'raise', detail: '' }); // P2
    for (const cam of ['cam-2', 'cam-3']) svc.onHealth({ cameraId: cam, condition: 'frozen', kind: 'raise', detail: '' });
    expect(svc.flood.state().active).toBe(false);
    clock.now += 1000;
    svc.onHealth({ cameraId: 'cam-3', condition: 'black', kind: 'raise', detail: '' });
    expect(svc.flood.state()).toMatchObject({ active: true, sinceMs: clock.now, openedInWindow: 4, threshold: 3, windowS: 600 });
    expect(floods.at(-1)).toMatchObject({ active: true });
    // Two minutes unacknowledged during the flood: nobody escalates.
    clock.now += 120_000;
    svc.tick();
    expect(svc.list({ status: 'open', limit: 200 }).map((a) => a.priority)).toEqual([2, 2, 2, 2]);
    // The window passes: the flood clears; escalation restarts its clock from the end of the flood.
    clock.now += 600_000;
    svc.tick();
    expect(svc.flood.state()).toMatchObject({ active: false, sinceMs: null, openedInWindow: 0 });
    expect(floods.at(-1)).toMatchObject({ active: false });
    expect(svc.escalateDue()).toBe(0);
    clock.now += 60_000;
    expect(svc.escalateDue()).toBe(4);
    expect(svc.list({ status: 'open', limit: 200 }).map((a) => a.priority)).toEqual([1, 1, 1, 1]);
  });

  it('escalation raises an alarm one step above the priority it opened with at most: a P3 never becomes a P1', () => {
    const { svc, clock } = setup();
    svc.setSettings({ escalateAfterS: 10 });
    svc.arm({ cameraId: 'cam-1', ruleId: 'zone-1', priority: 3 }, 'sam');
    svc.onLedgerRows('cam-1', [row('zone-1', 1, clock.now)]);
    for (let i = 0; i < 5; i++) {
      clock.now += 10_000;
      svc.escalateDue();
    }
    expect(svc.list({ status: 'open', limit: 10 })).toMatchObject([{ basePriority: 3, priority: 2, escalations: 5 }]);
  });
});
