import path from 'node:path';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { AlarmViewSchema, type AlarmView } from '../../shared/domain/alarms';
import { ExportSinkInputSchema } from '../../shared/domain/export';
import type { AuditRowView } from '../../shared/ipc/audit.contract';
import { asRole, ADMIN_CTX } from '../auth/as-role.test-support';
import { QuietCameraRuntime, NO_WORKERS } from '../camera/quiet-camera-runtime.test-support';
import { nullLogger } from '../logging/logger';
import { storedAlarms } from '../reports/shift-sources';
import { testAlarmsService } from '../services/alarms-service.test-support';
import { WatchroomEngine } from '../services/engine';
import { reviewEvents } from '../services/events-review';
import { LedgerRepository } from '../ledger/ledger.repository';
import { openDatabase, type Db } from '../storage/database';
import { plaintextSecretBox } from '../storage/secret-box';
import { ExportService } from './export.service';
import type { OutboxItem } from './outbox';

/**
 * Export backlog and outbox-near-cap as alarms in the alarm queue (officers see export trouble where they work): a sink that is down (nothing
 * delivers), a small count threshold and a small outbox cap; each maintenance pass is run by hand, so nothing
 * here depends on timing.
 */
const dbs: Db[] = [];
const engines: WatchroomEngine[] = [];
const tmp = tempDirs('wr-export-alarms-');
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.dispose()));
  dbs.splice(0).forEach((d) => d.close());
});

let track = 0;
const crossing = (atMs: number): OutboxItem => ({ id: ulid(atMs), type: 'line.cross', cameraId: 'cam-1', ruleId: 'door', atMs, data: { direction: 'in', cls: 'person', trackId: ++track } });

/** The export service and the alarms service on one database, wired the way the engine wires them. Not started: no delivery loop runs, so every sink is down. */
function setup(o: { cap?: number } = {}) {
  const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
  dbs.push(db);
  let now = Date.UTC(2026, 0, 1, 8);
  const clock = () => now;
  const exporter = new ExportService({ db, secretBox: plaintextSecretBox, logger: nullLogger, outbox: { cap: o.cap ?? 1000 }, now: clock });
  const changes: string[] = [];
  const alarms = testAlarmsService(db, { onChange: (c) => changes.push(`${c.action}:${c.alarm.condition}`), now: clock });
  alarms.store.onTransitionInTx(exporter.onAlarmTransitionInTx);
  exporter.onHealthFacts((f) => alarms.judgeSystemHealth(f));
  const sink = (name: string, tuning: Record<string, unknown> = {}, types: string[] = []) =>
    exporter.save(ExportSinkInputSchema.parse({ name, site: 'north', target: { kind: 'https', url: 'https://127.0.0.1:9/ingest' }, filters: { types }, tuning, secret: 'tok' }));
  const produce = (n: number) => exporter.outbox.enqueue(Array.from({ length: n }, () => crossing((now += 10))));
  const open = () => alarms.store.list({ status: 'open' }).filter((a) => a.kind === 'system');
  return { db, exporter, alarms, sink, produce, open, changes, tick: (ms: number) => (now += ms), ledger: new LedgerRepository(db) };
}

describe('export backlog alarm', () => {
  it('opens once past the threshold, stays one alarm while high, is acknowledged by a named officer, recovers when drained, fires again on the same alarm', () => {
    const t = setup();
    const hq = t.sink('HQ', { backlogAlarmEvents: 10, backlogAlarmMinutes: 60 });
    t.produce(9);
    t.exporter.maintain();
    expect(t.open()).toEqual([]);

    t.produce(1); // 10 waiting: at the threshold
    t.exporter.maintain();
    const [a] = t.open();
    expect(AlarmViewSchema.parse(a)).toEqual(a);
    expect(a).toMatchObject({
      kind: 'system',
      cameraId: null,
      subject: `sink:${hq.id}`,
      condition: 'export-backlog',
      type: 'system.export-backlog',
      status: 'new',
      priority: 3,
      detail: { condition: 'export-backlog', sinkId: hq.id, sinkName: 'HQ', backlog: 10, ageThresholdMs: 3_600_000, countThreshold: 10 },
    });
    expect(t.exporter.list()[0]!.status.alarm).toBe(true);

    // The down sink falls further behind: still one alarm, nothing added to its history.
    for (let i = 0; i < 5; i++) {
      t.produce(7);
      t.exporter.maintain();
    }
    expect(t.open().map((x) => x.id)).toEqual([a!.id]);
    expect(t.alarms.store.history(a!.id).map((h) => h.action)).toEqual(['open']);

    t.alarms.acknowledge(a!.id, 'ana');
    expect(t.alarms.store.get(a!.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana' });

    // Delivered at last (the sink's cursor commits the way a delivered batch does): the backlog drains.
    t.exporter.repo.commitBatch(hq.id, t.exporter.outbox.maxSeq(), []);
    t.exporter.maintain();
    const recovered = t.alarms.store.get(a!.id)!;
    expect(recovered.status).toBe('acknowledged'); // recovery does not close it: the officer does
    expect(recovered.recoveredMs).not.toBeNull();
    expect(t.exporter.list()[0]!.status.alarm).toBe(false);
    t.exporter.maintain();
    expect(t.alarms.store.history(a!.id).map((h) => `${h.action}:${h.by}`)).toEqual(['open:system', 'acknowledge:ana', 'recover:system']);

    // High again while the alarm is still open: the same alarm fires again with the new figures.
    t.produce(12);
    t.exporter.maintain();
    expect(t.open()).toHaveLength(1);
    expect(t.alarms.store.get(a!.id)).toMatchObject({ triggerCount: 2, recoveredMs: null, detail: { backlog: 12 + 1 } }); // + the recovery's own export row
    t.alarms.close({ id: a!.id, outcome: 'true-alarm', comment: 'HQ link down, IT informed' }, 'ana');
    expect(t.alarms.store.get(a!.id)).toMatchObject({ status: 'closed', closedBy: 'ana', outcome: 'true-alarm' });
    // Closed while the backlog lasts: no new alarm until it has drained and come back.
    t.produce(5);
    t.exporter.maintain();
    expect(t.open()).toEqual([]);
    expect(t.changes).toEqual(['open:export-backlog', 'acknowledge:export-backlog', 'recover:export-backlog', 'retrigger:export-backlog', 'close:export-backlog']);

    // Every transition went to the outbox in its own transaction, site-level (no camera), with subject and figures.
    const rows = t.exporter.outbox.read(0, 10_000).filter((r) => r.type === 'alarm.transition');
    expect(rows.map((r) => r.data.action)).toEqual(['open', 'acknowledge', 'recover', 'retrigger', 'close']);
    expect(rows[0]).toMatchObject({ id: `${a!.id}-1`, cameraId: null, ruleId: null, data: { alarmType: 'system.export-backlog', condition: 'export-backlog', subject: `sink:${hq.id}`, by: 'system', detail: { sinkName: 'HQ', backlog: 10 } } });
    expect(rows[1]!.data).toMatchObject({ action: 'acknowledge', by: 'ana' });
  });

  it('the age threshold raises it too; a paused sink is left as it is; a removed sink recovers its alarm', () => {
    const t = setup();
    const hq = t.sink('HQ', { backlogAlarmMinutes: 1 }, ['line.cross']); // age only; alarm transitions not exported
    t.produce(3);
    t.exporter.maintain();
    expect(t.open()).toEqual([]);
    t.tick(61_000);
    t.exporter.maintain();
    const a = t.open()[0]!;
    expect(a).toMatchObject({ condition: 'export-backlog', detail: { backlog: 3, countThreshold: null, ageThresholdMs: 60_000 } });
    expect(a.kind === 'system' && a.detail.condition === 'export-backlog' && a.detail.oldestAgeMs! > 60_000).toBe(true);

    t.exporter.save(ExportSinkInputSchema.parse({ id: hq.id, name: 'HQ', enabled: false, site: 'north', target: { kind: 'https', url: 'https://127.0.0.1:9/ingest' }, filters: { types: ['line.cross'] }, tuning: { backlogAlarmMinutes: 1 } }));
    t.exporter.maintain();
    expect(t.alarms.store.get(a.id)!.recoveredMs).toBeNull(); // paused: not judged, nothing recovered

    return t.exporter.remove(hq.id).then(() => {
      t.exporter.maintain();
      expect(t.alarms.store.get(a.id)!.recoveredMs).not.toBeNull();
      expect(t.alarms.store.history(a.id).map((h) => h.action)).toEqual(['open', 'recover']);
    });
  });

  it('after a restart the open alarm is resumed, not opened twice, and recovers if the backlog drained meanwhile', () => {
    const t = setup();
    const hq = t.sink('HQ', { backlogAlarmEvents: 5 }, ['line.cross']);
    t.produce(6);
    t.exporter.maintain();
    const [a] = t.open();
    // A second alarms service on the same database: the next run of the app.
    const next = testAlarmsService(t.db);
    next.judgeSystemHealth(t.exporter.healthFacts());
    expect(next.store.history(a!.id).map((h) => h.action)).toEqual(['open']);
    t.exporter.repo.commitBatch(hq.id, t.exporter.outbox.maxSeq(), []);
    next.judgeSystemHealth(t.exporter.healthFacts());
    expect(next.store.history(a!.id).map((h) => h.action)).toEqual(['open', 'recover']);
  });
});

describe('outbox-near-cap alarm', () => {
  it('opens before the first event is dropped, even when a burst passes the cap between two passes, and fires again once when drops start', () => {
    const t = setup({ cap: 20 });
    const hq = t.sink('HQ', {}, ['line.cross']);
    const droppedWhenOpened: number[] = [];
    t.alarms.store.onTransitionInTx((_db, c) => {
      if (c.alarm.condition === 'outbox-near-cap' && c.action === 'open') droppedWhenOpened.push(t.exporter.outbox.status().droppedTotal);
    });
    t.produce(15);
    t.exporter.maintain();
    expect(t.open()).toEqual([]);

    t.produce(15); // 30 undelivered, cap 20: the same pass alarms, then drops
    t.exporter.maintain();
    const [a] = t.open();
    expect(a).toMatchObject({ subject: 'outbox', condition: 'outbox-near-cap', priority: 1, cameraId: null, detail: { condition: 'outbox-near-cap', undelivered: 30, rows: 30, cap: 20, warnRatio: 0.8, droppedTotal: 0 } });
    expect(droppedWhenOpened).toEqual([0]);
    expect(t.exporter.outbox.status()).toMatchObject({ rows: 20, droppedTotal: 10 });
    expect(t.exporter.repo.droppedOf(hq.id)).toBe(10);

    t.exporter.maintain(); // the drops are seen: fired again, once
    t.produce(5);
    t.exporter.maintain();
    t.exporter.maintain();
    expect(t.alarms.store.history(a!.id).map((h) => h.action)).toEqual(['open', 'retrigger']);
    expect(t.alarms.store.get(a!.id)).toMatchObject({ triggerCount: 2, detail: { droppedTotal: 10 } });
    expect(t.exporter.health().find((h) => h.id === 'export:outbox')!.level).toBe('unhealthy');

    // Delivered: undelivered rows back under 80 % (the delivered ones stay for replay and do not count).
    t.exporter.repo.commitBatch(hq.id, t.exporter.outbox.maxSeq(), []);
    t.exporter.maintain();
    expect(t.exporter.outbox.status()).toMatchObject({ rows: 20, undelivered: 0 });
    expect(t.alarms.store.get(a!.id)!.recoveredMs).not.toBeNull();
  });

  it('the alarm opens at 80 % of the cap on a slow climb, a full pass before the cap is reached', () => {
    const t = setup({ cap: 50 });
    t.sink('HQ', {}, ['line.cross']);
    const seen: string[] = [];
    // Bounded: at most 60 passes of one event each.
    for (let i = 0; i < 60 && t.exporter.outbox.status().droppedTotal === 0; i++) {
      t.produce(1);
      t.exporter.maintain();
      const st = t.exporter.outbox.status();
      if (t.open().length && !seen.length) seen.push(`open at ${st.undelivered}`);
    }
    expect(seen).toEqual(['open at 40']);
    expect(t.exporter.outbox.status().droppedTotal).toBe(1); // the 51st event: the first drop came after the alarm
  });
});

describe('system alarms elsewhere', () => {
  it('events review lists their steps (type system, no camera, the figures); a camera filter leaves them out; the shift report names them', () => {
    const t = setup();
    t.sink('HQ', { backlogAlarmEvents: 3 }, ['line.cross']);
    t.produce(4);
    t.exporter.maintain();
    const [a] = t.open();
    t.alarms.acknowledge(a!.id, 'ana');
    const page = reviewEvents(t.db, t.ledger, { limit: 50, types: ['system'] });
    expect(page.rows.map((r) => (r.kind === 'alarm' ? `${r.type}:${r.action}:${r.by}:${r.cameraId}` : 'ledger'))).toEqual(['system:acknowledge:ana:null', 'system:open:system:null']);
    expect(page.rows[0]).toMatchObject({ subject: a!.subject, condition: 'export-backlog', detail: { sinkName: 'HQ' } });
    expect(reviewEvents(t.db, t.ledger, { limit: 50, types: ['alarm', 'health'] }).rows).toEqual([]);
    expect(reviewEvents(t.db, t.ledger, { limit: 50, cameraId: 'cam-1' }).rows).toEqual([]);
    const [shift] = storedAlarms(t.db, (id) => id).alarmsBetween(0, Date.UTC(2030, 0, 1));
    expect(shift).toMatchObject({ camera: 'site (no camera)', rule: 'system: export backlog (sink HQ)', priority: 'P3' });
  });
});

describe('through the engine', () => {
  it('a down sink past its threshold is an alarm officers see, acknowledge (audited, with their name) and close', async () => {
    const dir = tmp();
    const engine = new WatchroomEngine({
      dataDir: dir,
      workerStarter: NO_WORKERS,
      logger: nullLogger,
      hostKind: 'headless',
      version: 't',
      cameraRuntimeFactory: () => new QuietCameraRuntime(),
      validateOutputs: true,
      detection: false,
      nativeModelsDir: path.join(dir, 'none'),
      healthIntervalMs: 60_000,
      // No maintenance timer in this test: passes are run by hand.
      exportOptions: { outbox: { cap: 1000 }, maintenanceMs: 3_600_000, idleMs: 50, baseBackoffMs: 50 },
    });
    engines.push(engine);
    engine.start();
    const saved = await engine.dispatch('export:save', { name: 'HQ', site: 'north', target: { kind: 'https', url: 'https://127.0.0.1:9/ingest' }, filters: { types: ['line.cross'] }, tuning: { backlogAlarmEvents: 5 }, secret: 'tok' }, ADMIN_CTX);
    expect(saved).toMatchObject({ ok: true, value: { tuning: { backlogAlarmEvents: 5 } } });
    engine.exporter.outbox.enqueue(Array.from({ length: 6 }, (_, i) => crossing(Date.UTC(2026, 0, 1) + i)));
    engine.exporter.maintain();
    engine.exporter.maintain();

    const officer = asRole('officer');
    const list = await engine.dispatch('alarms:list', {}, officer);
    if (!list.ok) throw new Error(JSON.stringify(list.error));
    const alarms = list.value as AlarmView[];
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ kind: 'system', cameraId: null, condition: 'export-backlog', detail: { sinkName: 'HQ' } });
    const id = alarms[0]!.id;
    expect(await engine.dispatch('alarms:close', { id, outcome: 'test' }, officer)).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Acknowledge the alarm before closing it.' } });
    expect(await engine.dispatch('alarms:acknowledge', { id }, officer)).toMatchObject({ ok: true, value: { status: 'acknowledged', acknowledgedBy: officer.user!.name } });
    expect(await engine.dispatch('alarms:close', { id, outcome: 'true-alarm', comment: 'link down' }, officer)).toMatchObject({ ok: true, value: { status: 'closed', closedBy: officer.user!.name } });
    const got = await engine.dispatch('alarms:get', { id }, officer);
    expect(got.ok && (got.value as { history: Array<{ action: string; by: string }> }).history.map((h) => `${h.action}:${h.by}`)).toEqual(['open:system', `acknowledge:${officer.user!.name}`, `close:${officer.user!.name}`]);
    const audit = await engine.dispatch('audit:list', { limit: 100 }, asRole('admin', 'auditor'));
    if (!audit.ok) throw new Error(JSON.stringify(audit.error));
    const rows = audit.value as AuditRowView[];
    expect(rows.filter((r) => r.target === id).map((r) => `${r.action}:${r.actor}`).sort()).toEqual([`alarms:acknowledge:${officer.user!.name}`, `alarms:close:${officer.user!.name}`]);
    const review = await engine.dispatch('events:review', { limit: 10, types: ['system'] }, officer);
    expect(review).toMatchObject({ ok: true, value: { rows: [{ type: 'system', action: 'close' }, { type: 'system', action: 'acknowledge' }, { type: 'system', action: 'open' }] } });
  });
});
