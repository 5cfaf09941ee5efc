import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { nextAlarmStatus, type AlarmStatus, type AlarmAction } from '../../shared/domain/alarms';
import type { AnalyticsEvent } from '../../shared/domain/analytics';
import type { CameraState } from '../../shared/domain/camera';
import type { LiveFrame } from '../../shared/domain/detection';
import type { AnalyticsReport } from '../camera/analytics-stage';
import type { CameraRuntime } from '../camera/camera-runtime';
import { nullLogger } from '../logging/logger';
import { testAlarmsService } from '../services/alarms-service.test-support';
import { WatchroomEngine } from '../services/engine';
import { openDatabase, type Db } from '../storage/database';
import { AlarmStore } from './alarm-store';
import { ADMIN_CTX } from '../auth/as-role.test-support';
import { HealthDetectors, type HealthSignal } from './health-detectors';
import { NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';

/** A camera runtime the test drives: emits states, frames and analytics reports on demand. */
function scriptedRuntime() {
  const l = { state: new Set<(id: string, s: CameraState) => void>(), frame: new Set<(f: LiveFrame) => void>(), analytics: new Set<(id: string, r: AnalyticsReport) => void>() };
  const sub = <T>(set: Set<T>, fn: T) => {
    set.add(fn);
    return { dispose: () => void set.delete(fn) };
  };
  const runtime: CameraRuntime = {
    apply: () => undefined,
    state: (): CameraState => ({ type: 'disabled' }),
    onState: (fn) => sub(l.state, fn),
    onFrame: (fn) => sub(l.frame, fn),
    onAnalytics: (fn) => sub(l.analytics, fn),
    onTracks: () => ({ dispose: () => undefined }),
    setRules: () => undefined,
    health: () => [],
    dispose: async () => undefined,
  };
  return {
    runtime,
    state: (id: string, s: CameraState) => l.state.forEach((f) => f(id, s)),
    analytics: (id: string, r: AnalyticsReport) => l.analytics.forEach((f) => f(id, r)),
  };
}

const engines: WatchroomEngine[] = [];
const dbs: Db[] = [];
const tmp = tempDirs('wr-alarms-');
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dbs.splice(0).forEach((d) => d.close());
});
const ctx = ADMIN_CTX;
const officer = { peer: 'test', user: { userId: '01J00000000000000000000000', name: 'ana', role: 'officer' as const } };
const jpg = jpeg.encode({ data: Buffer.alloc(64 * 48 * 4, 120), width: 64, height: 48 }, 80).data;
const intrusion = (track: number): AnalyticsEvent => ({ type: 'zone.intrusion', rule: 'floor', track, t: 1, cls: 'person', score: 0.9, box: [0.4, 0.3, 0.6, 0.9] });

async function ok<T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: { message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

describe('alarm lifecycle table', () => {
  it('allows exactly the arrows of the diagram', () => {
    const all: AlarmStatus[] = ['new', 'acknowledged', 'on-hold', 'closed'];
    const allowed: Record<AlarmAction, Partial<Record<AlarmStatus, AlarmStatus>>> = {
      open: {},
      retrigger: { new: 'new', acknowledged: 'acknowledged', 'on-hold': 'on-hold' },
      recover: { new: 'new', acknowledged: 'acknowledged', 'on-hold': 'on-hold' },
      escalate: { new: 'new' },
      acknowledge: { new: 'acknowledged' },
      hold: { acknowledged: 'on-hold' },
      resume: { 'on-hold': 'acknowledged' },
      close: { acknowledged: 'closed', 'on-hold': 'closed' },
    };
    for (const [action, table] of Object.entries(allowed) as Array<[AlarmAction, Partial<Record<AlarmStatus, AlarmStatus>>]>) {
      for (const from of all) {
        const r = nextAlarmStatus(from, action);
        if (table[from]) expect(r, `${from} --${action}`).toEqual({ ok: true, status: table[from] });
        else expect(r.ok, `${from} --${action}`).toBe(false);
      }
    }
    expect(nextAlarmStatus(null, 'open')).toEqual({ ok: true, status: 'new' });
    expect(nextAlarmStatus('closed', 'acknowledge')).toEqual({ ok: false, message: 'This alarm is already closed; nothing can change it any more.' });
  });
});

describe('AlarmStore', () => {
  it('writes the row and a history row in one transaction; an in-transaction hook that throws undoes both', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
    dbs.push(db);
    let now = 1_700_000_000_000;
    const store = new AlarmStore(db, () => now);
    const inTx: string[] = [];
    const after: string[] = [];
    store.onTransitionInTx((d, c) => {
      expect(d.inTransaction).toBe(true);
      inTx.push(c.action);
    });
    store.onTransition((c) => after.push(`${c.action}:${c.alarm.status}`));
    const { alarm } = store.open({ kind: 'rule', cameraId: 'c1', ruleId: 'r1', trackId: 4, eventId: null, type: 'zone.intrusion', priority: 3, snapshot: null }, 'system');
    now += 1000;
    store.transition(alarm.id, 'acknowledge', 'ana');
    const off = store.onTransitionInTx(() => {
      throw new Error('outbox full');
    });
    expect(() => store.transition(alarm.id, 'hold', 'ana')).toThrow('outbox full');
    off();
    expect(store.get(alarm.id)!.status).toBe('acknowledged');
    expect(store.history(alarm.id).map((h) => h.action)).toEqual(['open', 'acknowledge']);
    expect(after).toEqual(['open:new', 'acknowledge:acknowledged']);
    expect(inTx).toEqual(['open', 'acknowledge', 'hold']); // the third ran, then rolled back
    expect(() => db.prepare('DELETE FROM alarm_history').run()).toThrow(/immutable/);
  });
});

describe('alarms through the engine', () => {
  function start() {
    const dir = tmp();
    const rt = scriptedRuntime();
    const engine = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0', cameraRuntimeFactory: () => rt.runtime, validateOutputs: true, healthIntervalMs: 60_000 });
    engines.push(engine);
    engine.start();
    return { engine, rt, dir };
  }
  async function cameraWithZone(engine: WatchroomEngine) {
    const cam = await ok<{ id: string }>(engine.dispatch('cameras:add', { name: 'Room', source: '/v/room.mp4', enabled: false }, ctx));
    await ok(engine.dispatch('rules:save', { cameraId: cam.id, rules: [{ id: 'floor', type: 'zone', points: [[0.1, 0.5], [0.9, 0.5], [0.9, 1], [0.1, 1]], intrusion: {} }] }, ctx));
    return cam.id;
  }

  it('an armed intrusion rule opens an alarm with a snapshot, de-duplicates, and walks to closed with history and false-alarm rate', async () => {
    const { engine, rt } = start();
    const cameraId = await cameraWithZone(engine);
    const pushes: Array<{ action: string }> = [];
    engine.onPush((e, p) => e === 'alarms:changed' && pushes.push(p as { action: string }));

    // Not armed: nothing.
    rt.analytics(cameraId, { frameAt: Date.now(), events: [intrusion(1)], counters: {}, jpeg: jpg });
    expect(await ok<unknown[]>(engine.dispatch('alarms:list', {}, ctx))).toEqual([]);

    expect(await engine.dispatch('alarms:arm', { cameraId, ruleId: 'nope', priority: 2 }, ctx)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    await ok(engine.dispatch('alarms:arm', { cameraId, ruleId: 'floor', priority: 2 }, ctx));
    rt.analytics(cameraId, { frameAt: Date.now() + 1, events: [intrusion(7)], counters: {}, jpeg: jpg });
    rt.analytics(cameraId, { frameAt: Date.now() + 2, events: [intrusion(7)], counters: {}, jpeg: jpg }); // a repeat folds into the open alarm
    const open = await ok<Array<{ id: string; status: string; priority: number; snapshot: string | null; triggerCount: number }>>(engine.dispatch('alarms:list', {}, ctx));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: 'new', priority: 2, triggerCount: 2 });
    expect(open[0]!.snapshot).toMatch(/\.jpg$/);
    const id = open[0]!.id;
    for (let i = 0; i < 100; i++) {
      const s = await ok<{ jpegBase64: string | null }>(engine.dispatch('alarms:snapshot', { ref: open[0]!.snapshot! }, ctx));
      if (s.jpegBase64) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await ok<{ jpegBase64: string | null }>(engine.dispatch('alarms:snapshot', { ref: open[0]!.snapshot! }, ctx))).jpegBase64).toBeTruthy();

    // Site switch off: a new track raises nothing (neither a new alarm nor a repeat of the open one).
    await ok(engine.dispatch('alarms:set-switch', { cameraId: null, armed: false }, ctx));
    rt.analytics(cameraId, { frameAt: Date.now() + 3, events: [intrusion(8)], counters: {}, jpeg: null });
    expect(await ok<unknown[]>(engine.dispatch('alarms:list', {}, ctx))).toMatchObject([{ id: open[0]!.id, triggerCount: 2 }]);
    await ok(engine.dispatch('alarms:set-switch', { cameraId: null, armed: true }, ctx));

    // Bad input is refused with a clear message and changes nothing.
    expect(await engine.dispatch('alarms:close', { id, outcome: 'false-alarm' }, officer)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Acknowledge the alarm before closing it.' } });
    await ok(engine.dispatch('alarms:acknowledge', { id }, officer));
    expect(await engine.dispatch('alarms:acknowledge', { id }, officer)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This alarm is already acknowledged.' } });
    await ok(engine.dispatch('alarms:hold', { id }, officer));
    await ok(engine.dispatch('alarms:resume', { id }, officer));
    expect(await engine.dispatch('alarms:close', { id }, officer)).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Choose an outcome: true alarm, false alarm or test.' } });
    await ok(engine.dispatch('alarms:close', { id, outcome: 'false-alarm', comment: 'cleaner' }, officer));
    expect(await engine.dispatch('alarms:acknowledge', { id }, officer)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This alarm is already closed; nothing can change it any more.' } });

    const { alarm, history } = await ok<{ alarm: { status: string; outcome: string; comment: string; closedBy: string }; history: Array<{ action: string; by: string; at: string }> }>(engine.dispatch('alarms:get', { id }, ctx));
    expect(alarm).toMatchObject({ status: 'closed', outcome: 'false-alarm', comment: 'cleaner', closedBy: 'ana' });
    expect(history.map((h) => `${h.action}:${h.by}`)).toEqual(['open:system', 'retrigger:system', 'acknowledge:ana', 'hold:ana', 'resume:ana', 'close:ana']);
    expect(history.every((h) => !Number.isNaN(Date.parse(h.at)))).toBe(true);
    expect(pushes.map((p) => p.action)).toEqual(['open', 'retrigger', 'acknowledge', 'hold', 'resume', 'close']);
    expect(await ok(engine.dispatch('alarms:rule-stats', {}, ctx))).toEqual([{ cameraId, ruleId: 'floor', closed: 1, trueAlarms: 0, falseAlarms: 1, tests: 0, falseAlarmRate: 1 }]);
  });

  it('a camera that goes offline raises a health alarm; coming back online records the recovery', async () => {
    const { engine, rt } = start();
    const cameraId = await cameraWithZone(engine);
    rt.state(cameraId, { type: 'online', since: 1 });
    rt.state(cameraId, { type: 'stalled', since: 2, lastFrameAt: 1 });
    expect(await ok<unknown[]>(engine.dispatch('alarms:list', {}, ctx))).toEqual([]);
    rt.state(cameraId, { type: 'reconnecting', since: 3, attempt: 1, retryAt: 4, reason: 'no frames' });
    rt.state(cameraId, { type: 'connecting', since: 4, attempt: 2 });
    rt.state(cameraId, { type: 'reconnecting', since: 5, attempt: 2, retryAt: 6, reason: 'no frames' });
    const [a] = await ok<Array<{ id: string; type: string; condition: string; recoveredMs: number | null }>>(engine.dispatch('alarms:list', {}, ctx));
    expect(a).toMatchObject({ type: 'health.offline', condition: 'offline', recoveredMs: null });
    rt.state(cameraId, { type: 'online', since: 7 });
    const { alarm, history } = await ok<{ alarm: { recoveredMs: number | null; status: string }; history: Array<{ action: string }> }>(engine.dispatch('alarms:get', { id: a!.id }, ctx));
    expect(alarm.status).toBe('new');
    expect(alarm.recoveredMs).not.toBeNull();
    expect(history.map((h) => h.action)).toEqual(['open', 'recover']);
  });

  it('layouts: saved per user, restored, and a deleted camera is reported, never saved', async () => {
    const { engine, dir } = start();
    const cameraId = await cameraWithZone(engine);
    const body = { grid: '2x2', columns: 2, rows: 2, tiles: [{ col: 0, row: 0, cameraId }, { col: 1, row: 0, cameraId: null }] };
    await ok(engine.dispatch('layouts:save', { name: 'Shift', body }, officer));
    expect(await ok(engine.dispatch('layouts:current', {}, ctx))).toBeNull(); // another user (system) has none
    expect(await engine.dispatch('layouts:save', { name: 'Bad', body: { ...body, tiles: [{ col: 0, row: 0, cameraId: 'gone' }] } }, officer)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('not exist (any more): gone') },
    });
    expect(await engine.dispatch('layouts:save', { name: 'Big', body: { ...body, tiles: [{ col: 1, row: 1, colSpan: 2, cameraId: null }] } }, officer)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    await ok(engine.dispatch('cameras:remove', { id: cameraId }, ctx));
    await engine.dispose();
    const again = new WatchroomEngine({ dataDir: dir, workerStarter: NO_WORKERS, logger: nullLogger, hostKind: 'headless', version: '0', cameraRuntimeFactory: () => scriptedRuntime().runtime, validateOutputs: true, healthIntervalMs: 60_000 });
    engines.push(again);
    again.start();
    const cur = await ok<{ name: string; body: { grid: string }; missingCameras: string[] }>(again.dispatch('layouts:current', {}, officer));
    expect(cur).toMatchObject({ name: 'Shift', body: { grid: '2x2' }, missingCameras: [cameraId] });
    expect(await ok<unknown[]>(again.dispatch('layouts:list', {}, officer))).toHaveLength(1);
  });
});

describe('AlarmsService escalation', () => {
  it('escalates a new alarm every escalateAfterS until acknowledged; priority never goes below 1', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
    dbs.push(db);
    let now = 1_700_000_000_000;
    const changes: string[] = [];
    const svc = testAlarmsService(db, { onChange: (c) => changes.push(`${c.action}:${c.alarm.priority}`), now: () => now });
    svc.setSettings({ escalateAfterS: 10 });
    svc.onHealth({ cameraId: 'c1', condition: 'offline', kind: 'raise', detail: '' });
    const id = svc.store.list()[0]!.id;
    now += 9_000;
    expect(svc.escalateDue()).toBe(0);
    now += 1_000;
    expect(svc.escalateDue()).toBe(1);
    expect(svc.escalateDue()).toBe(0); // not again before another 10 s
    now += 10_000;
    expect(svc.escalateDue()).toBe(1);
    svc.acknowledge(id, 'ana');
    now += 60_000;
    expect(svc.escalateDue()).toBe(0);
    expect(changes).toEqual(['open:2', 'escalate:1', 'escalate:1', 'acknowledge:1']);
  });
});

describe('HealthDetectors', () => {
  const frame = (cameraId: string, bytes: number[], capturedAt: number, fps = 10): LiveFrame => ({
    cameraId,
    seq: 0,
    pts: 0,
    capturedAt,
    width: 4,
    height: 4,
    detections: null,
    stats: { analysisFps: fps, droppedFrames: 0 },
    jpeg: Uint8Array.from(bytes),
  });
  it('frozen: byte-identical pictures for frozenAfterS; black: two dark samples; low fps: below half for 30 s', () => {
    const signals: string[] = [];
    let dark = false;
    const det = new HealthDetectors(
      { frozenAfterS: () => 5, expectedFps: () => 10, lumaEveryMs: 1000, decode: () => ({ width: 2, height: 1, data: dark ? Uint8Array.from([2, 2, 2, 255, 3, 3, 3, 255]) : Uint8Array.from([20, 20, 20, 255, 240, 240, 240, 255]) }) },
      (s: HealthSignal) => signals.push(`${s.kind}:${s.condition}`),
    );
    det.frame(frame('c', [1, 2, 3], 0));
    det.state('c', { type: 'online', since: 0 });
    // First judgements after a start report clears (an alarm left open by the previous run recovers).
    expect(signals.sort()).toEqual(['clear:black', 'clear:frozen', 'clear:low-fps', 'clear:offline']);
    signals.length = 0;
    for (let t = 500; t <= 6000; t += 500) det.frame(frame('c', [1, 2, 3], t));
    expect(signals).toEqual(['raise:frozen']);
    det.frame(frame('c', [1, 2, 4], 6500));
    expect(signals).toEqual(['raise:frozen', 'clear:frozen']);
    dark = true;
    for (let t = 7000; t <= 9000; t += 1000) det.frame(frame('c', [t & 255, 1], t));
    expect(signals.slice(2)).toEqual(['raise:black']);
    dark = false;
    det.frame(frame('c', [9, 9], 10_000));
    expect(signals.slice(3)).toEqual(['clear:black']);
    for (let t = 11_000; t <= 42_000; t += 1000) det.frame(frame('c', [t & 255, 2], t, 3));
    expect(signals.slice(4)).toEqual(['raise:low-fps']);
    det.frame(frame('c', [7, 7], 43_000, 9));
    expect(signals.slice(5)).toEqual(['clear:low-fps']);
    det.state('c', { type: 'reconnecting', since: 0, attempt: 1, retryAt: 1, reason: 'gone' });
    det.state('c', { type: 'online', since: 1 });
    expect(signals.slice(6)).toEqual(['raise:offline', 'clear:offline']);
    det.state('c', { type: 'online', since: 2 });
    expect(signals).toHaveLength(8); // no second clear
  });
});
