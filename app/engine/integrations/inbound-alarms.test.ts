import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { AlarmViewSchema } from '../../shared/domain/alarms';
import { AlarmStore } from '../alarms/alarm-store';
import { InboundAlarms } from '../alarms/inbound-alarms';
import { nullLogger } from '../logging/logger';
import { migrate, openDatabase, type Db } from '../storage/database';
import { migrations } from '../storage/migrations';
import { alarmFromMqtt } from './mqtt-inbound';

const dbs: Db[] = [];
const tmp = tempDirs('wr-inbound-');
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.open) d.close();
});

describe('migration 13: the alarms table learns external-alarm', () => {
  it('keeps every alarm, its history, foreign keys and indexes, and still refuses unknown conditions', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger, migrations: migrations.filter((m) => m.version < 13) });
    dbs.push(db);
    const store = new AlarmStore(db);
    const health = store.open({ kind: 'health', cameraId: 'c1', condition: 'offline', priority: 2 }, 'system').alarm;
    store.transition(health.id, 'acknowledge', 'ana');
    const sys = store.open({ kind: 'system', priority: 1, detail: { condition: 'outbox-near-cap', rows: 9, undelivered: 8, cap: 10, warnRatio: 0.8, droppedTotal: 0 } }, 'system').alarm;
    const before = db.prepare('SELECT * FROM alarms ORDER BY id').all();
    const history = db.prepare('SELECT * FROM alarm_history ORDER BY id').all();
    const indexes = db.prepare("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'alarms' AND type = 'index' ORDER BY name").all();
    expect(migrate(db, migrations.filter((m) => m.version <= 13))).toEqual([13]);
    expect(db.prepare('SELECT * FROM alarms ORDER BY id').all()).toEqual(before);
    expect(db.prepare('SELECT * FROM alarm_history ORDER BY id').all()).toEqual(history);
    expect(db.prepare("SELECT name, sql FROM sqlite_schema WHERE tbl_name = 'alarms' AND type = 'index' ORDER BY name").all()).toEqual(indexes);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(() => db.prepare("UPDATE alarms SET condition = 'made-up' WHERE id = ?").run(sys.id)).toThrow(/CHECK/);
    const again = new AlarmStore(db);
    expect(again.get(health.id)).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'ana' });
    const ext = again.open({ kind: 'system', priority: 2, detail: { condition: 'external-alarm', source: 'panel', eventId: 'e1', text: 'Door forced', cameraId: null } }, 'api:panel').alarm;
    expect(AlarmViewSchema.parse(ext)).toMatchObject({ kind: 'system', condition: 'external-alarm', subject: 'external:panel:e1', type: 'system.external-alarm' });
  });
});

describe('inbound alarms', () => {
  it('one alarm per source and event id, ever; an unknown camera is refused', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
    dbs.push(db);
    const store = new AlarmStore(db);
    const inbound = new InboundAlarms({ db, store, cameraExists: (id) => id === 'door' });
    const first = inbound.raise({ source: 'panel', eventId: '7', priority: 3, text: 'Forced', cameraId: 'door' }, 'api:panel');
    expect(first).toMatchObject({ created: true, alarm: { status: 'new', priority: 3, detail: { cameraId: 'door', text: 'Forced' } } });
    expect(inbound.raise({ source: 'panel', eventId: '7', priority: 1, text: 'again' }, 'api:panel')).toMatchObject({ created: false, alarm: { id: first.alarm.id, priority: 3 } });
    // Another source may use the same event id.
    expect(inbound.raise({ source: 'fire', eventId: '7', priority: 1, text: 'Smoke' }, 'mqtt:fire').created).toBe(true);
    expect(() => inbound.raise({ source: 'panel', eventId: '8', priority: 1, text: 'x', cameraId: 'nope' }, 'api:panel')).toThrow(/no camera/);
    expect(store.list({ status: 'all' })).toHaveLength(2);
  });

  it('maps MQTT payloads by dot paths and refuses what does not fit', () => {
    const map = { enabled: true, url: 'mqtt://x', topic: 't', source: 'panel', eventIdPath: 'e.id', textPath: 'e.text', priorityPath: 'p', defaultPriority: 2, cameraIdPath: 'cam' };
    expect(alarmFromMqtt(map, 't', Buffer.from(JSON.stringify({ e: { id: 12, text: 'Zone 3' }, p: '1', cam: 'door' })))).toEqual({ ok: true, input: { source: 'panel', eventId: '12', text: 'Zone 3', priority: 1, cameraId: 'door' } });
    expect(alarmFromMqtt(map, 't', Buffer.from(JSON.stringify({ e: { id: 'a', text: 'x' } })))).toMatchObject({ ok: true, input: { priority: 2 } });
    expect(alarmFromMqtt(map, 't', Buffer.from('nope'))).toEqual({ ok: false, why: 'payload is not JSON' });
    expect(alarmFromMqtt(map, 't', Buffer.from(JSON.stringify({ e: { text: 'x' } })))).toMatchObject({ ok: false });
    expect(alarmFromMqtt(map, 't', Buffer.from(JSON.stringify({ e: { id: 'a', text: 'x' }, p: 9 })))).toMatchObject({ ok: false });
    expect(alarmFromMqtt(map, 't', Buffer.from(JSON.stringify({ e: { id: 'a', text: 'x', __proto__: { id: 'p' } } })))).toMatchObject({ ok: true });
  });
});
