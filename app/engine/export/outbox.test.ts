import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerRepository, type LedgerEventInput } from '../ledger/ledger.repository';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { plaintextSecretBox } from '../storage/secret-box';
import { ExportService } from './export.service';
import { ExportSinkInputSchema } from '../../shared/domain/export';
import { importFootageEvents } from '../ledger/footage-import';
import { AlarmStore } from '../alarms/alarm-store';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  dbs.splice(0).forEach((d) => d.close());
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function setup(cap = 1000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-outbox-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, logger: nullLogger });
  dbs.push(db);
  let now = Date.UTC(2026, 0, 1);
  // Not started: no delivery loops, only the outbox and the repository.
  const svc = new ExportService({ db, secretBox: plaintextSecretBox, logger: nullLogger, outbox: { cap }, now: () => now });
  const ledger = new LedgerRepository(db, undefined, svc.onLedgerRowInTx);
  const sink = (name: string, types: string[] = []) =>
    svc.save(ExportSinkInputSchema.parse({ name, site: 's1', target: { kind: 'https', url: 'https://127.0.0.1:9/x' }, filters: { types }, secret: 'tok' }));
  let track = 0;
  const ev = (over: Partial<LedgerEventInput> = {}): LedgerEventInput => ({ cameraId: 'c1', ruleId: 'r1', trackId: ++track, cls: 'person', type: 'line.cross', direction: 'in', confidence: 0.9, frameMs: now + track, source: 'live', ...over });
  return { db, svc, ledger, sink, ev, tick: (ms: number) => (now += ms) };
}

describe('export outbox', () => {
  it('gets each alarm transition in the alarm transaction itself, with a deterministic id; a rollback leaves neither', () => {
    const t = setup();
    t.sink('hq', ['alarm.transition']);
    const store = new AlarmStore(t.db, () => Date.UTC(2026, 0, 1));
    store.onTransitionInTx(t.svc.onAlarmTransitionInTx);
    const { alarm } = store.open({ kind: 'rule', cameraId: 'c1', ruleId: 'r1', trackId: 4, eventId: null, type: 'zone.intrusion', priority: 3, snapshot: null }, 'system');
    store.transition(alarm.id, 'acknowledge', 'ana');
    const off = store.onTransitionInTx(() => {
      throw new Error('crash inside the transition');
    });
    expect(() => store.transition(alarm.id, 'hold', 'ana')).toThrow(/crash/);
    off();
    store.transition(alarm.id, 'close', 'ana', { outcome: 'false-alarm', comment: 'cleaner' });
    const rows = t.svc.outbox.read(0, 10);
    expect(rows.map((r) => [r.id, r.type, r.cameraId, r.ruleId, r.data.action, r.data.by])).toEqual([
      [`${alarm.id}-1`, 'alarm.transition', 'c1', 'r1', 'open', 'system'],
      [`${alarm.id}-2`, 'alarm.transition', 'c1', 'r1', 'acknowledge', 'ana'],
      [`${alarm.id}-3`, 'alarm.transition', 'c1', 'r1', 'close', 'ana'],
    ]);
    expect(rows[2]!.data).toMatchObject({ outcome: 'false-alarm', comment: 'cleaner', to: 'closed' });
  });

  it('is written in the same transaction as the ledger row: a rolled-back append leaves neither', () => {
    const t = setup();
    t.sink('hq');
    t.ledger.append([t.ev()]);
    expect(t.svc.outbox.rowCount()).toBe(1);
    expect(() =>
      t.db.transaction(() => {
        t.ledger.append([t.ev(), t.ev()]);
        throw new Error('crash after the insert, before commit');
      })(),
    ).toThrow(/crash/);
    expect((t.db.prepare('SELECT COUNT(*) AS n FROM ledger_events').get() as { n: number }).n).toBe(1);
    expect(t.svc.outbox.rowCount()).toBe(1);
    // A duplicate ledger row (same dedupe key) does not add an outbox row either.
    const e = t.ev();
    t.ledger.append([e]);
    t.ledger.append([{ ...e, id: undefined }]);
    expect(t.svc.outbox.rowCount()).toBe(2);
  });

  it('writes only what some sink subscribes to; new sinks start at the current end', () => {
    const t = setup();
    t.ledger.append([t.ev()]);
    expect(t.svc.outbox.rowCount()).toBe(0);
    const only = t.sink('zones only', ['zone.enter']);
    t.ledger.append([t.ev()]);
    expect(t.svc.outbox.rowCount()).toBe(0);
    t.ledger.append([t.ev({ type: 'zone.enter', direction: undefined })]);
    expect(t.svc.outbox.rowCount()).toBe(1);
    expect(t.svc.repo.cursorOf(only.id)).toBe(0);
    const later = t.sink('all');
    expect(t.svc.repo.cursorOf(later.id)).toBe(1);
    t.svc.cameraState('c1', { type: 'online', since: 1 });
    t.svc.cameraState('c1', { type: 'online', since: 2 });
    expect(t.svc.outbox.rowCount()).toBe(2);
  });

  it('secrets are sealed at rest and never in views', () => {
    const t = setup();
    const v = t.sink('hq');
    expect(v.secretSet).toBe(true);
    expect(JSON.stringify(v)).not.toContain('tok');
    const raw = t.db.prepare('SELECT secret, target FROM export_sinks').get() as { secret: string; target: string };
    expect(raw.secret).toBe(plaintextSecretBox.seal('tok'));
    expect(raw.target).not.toContain('tok');
    // Saving without a secret keeps the saved one.
    t.svc.save(ExportSinkInputSchema.parse({ id: v.id, name: 'hq', site: 's1', target: { kind: 'https', url: 'https://127.0.0.1:9/y' } }));
    expect(t.svc.repo.get(v.id)!.secret).toBe('tok');
  });

  it('cap: alarm at 80 %, then drops the oldest rows, delivered first, counting what each lagging sink lost', () => {
    const t = setup(100);
    const a = t.sink('a');
    t.ledger.append(Array.from({ length: 85 }, () => t.ev()));
    t.svc['maintain']();
    const h = t.svc.health().find((c) => c.id === 'export:outbox')!;
    expect(h.level).toBe('degraded');
    expect(h.detail).toMatch(/85 % full.*dropped from the outbox \(the ledger keeps them\)/);
    // Sink a has delivered the first 30.
    t.svc.repo.commitBatch(a.id, 30, []);
    t.ledger.append(Array.from({ length: 45 }, () => t.ev()));
    expect(t.svc.outbox.rowCount()).toBe(130);
    const r = t.svc.outbox.maintain();
    expect(t.svc.outbox.rowCount()).toBe(100);
    expect(r).toEqual({ pruned: 30, dropped: 0 });
    t.ledger.append(Array.from({ length: 20 }, () => t.ev()));
    expect(t.svc.outbox.maintain()).toEqual({ pruned: 0, dropped: 20 });
    expect(t.svc.repo.droppedOf(a.id)).toBe(20);
    expect(t.svc.repo.cursorOf(a.id)).toBe(50);
    expect(t.svc.outbox.status()).toMatchObject({ rows: 100, droppedTotal: 20 });
    expect(t.svc.health().find((c) => c.id === `export:${a.id}`)!.level).toBe('unhealthy');
  });

  it('replay moves the cursor back to the first retained event at or after the date', () => {
    const t = setup();
    const a = t.sink('a');
    const rows = t.ledger.append(Array.from({ length: 10 }, () => t.ev()));
    t.svc.repo.commitBatch(a.id, 10, []);
    const r = t.svc.replay(a.id, rows[4]!.frameMs);
    expect(r.fromSeq).toBe(5);
    expect(t.svc.repo.cursorOf(a.id)).toBe(4);
  });

  it('footage imported outside the engine (CLI) reaches the outbox too, once per event', async () => {
    const t = setup();
    t.sink('hq');
    async function* events() {
      for (let i = 0; i < 30; i++) yield { type: 'line.cross' as const, rule: 'door', dir: 'in' as const, track: i, t: i * 0.5, cls: 'person', score: 0.9 };
    }
    const key = 'cd'.repeat(32);
    const r = await importFootageEvents({ db: t.db, cameraName: 'yard (IMPORTED)', start: '2026-11-20T08:00:00.000Z', footageKey: key, events: events(), batchSize: 10 });
    expect(r.inserted).toBe(30);
    await importFootageEvents({ db: t.db, cameraName: 'yard (IMPORTED)', start: '2026-11-20T08:00:00.000Z', footageKey: key, events: events(), batchSize: 10 });
    const rows = t.svc.outbox.read(0, 100);
    expect(rows).toHaveLength(30);
    expect(rows[0]).toMatchObject({ type: 'line.cross', ruleId: 'door', data: { direction: 'in', source: `import:${key}` } });
  });
});
