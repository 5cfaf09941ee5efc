import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportBed, until } from '../../../test/support/export-harness';
import { makeTestPki, startHttpsReceiver, startMosquitto, startPostgres, type Mosquitto, type Postgres, type TestPki } from '../../../test/support/export-servers';
import type { AuditHeadRef } from '../audit/audit-seal';

/**
 * Every export batch carries the workstation's audit head, so the central systems witness how far
 * the trail reached: the HTTPS header X-Watchroom-Audit-Head, the retained MQTT topic `<prefix>/<site>/audit/head`
 * and the `audit_heads` table in PostgreSQL. Real servers on 127.0.0.1.
 */
const TUNING = { batchSize: 40, timeoutMs: 3000, failureThreshold: 3, maxBackoffMs: 800, backlogAlarmMinutes: 15 };
let head: AuditHeadRef = { id: 41, hash: 'a'.repeat(64) };

let pki: TestPki;
let mosq: Mosquitto;
let pgsrv: Postgres;
beforeAll(async () => {
  pki = makeTestPki();
  [mosq, pgsrv] = await Promise.all([startMosquitto(), startPostgres()]);
});
afterAll(async () => {
  await Promise.all([mosq?.dispose(), pgsrv?.dispose()]);
});

describe('the audit head in every export batch', () => {
  it('HTTPS header, retained MQTT topic and PostgreSQL table, moving on with the trail', async () => {
    const rx = await startHttpsReceiver({ pki, bearer: 'tok' });
    const sub = await mqtt.connectAsync(mosq.url, { connectTimeout: 5000 });
    const heads: string[] = [];
    sub.on('message', (topic, payload) => topic === 'watchroom/north/audit/head' && heads.push(payload.toString()));
    await sub.subscribeAsync('watchroom/north/audit/head', { qos: 1 });
    const bed = createExportBed({ service: { auditHead: () => head } });
    const conn = { host: pgsrv.host, port: pgsrv.port, user: pgsrv.user, password: pgsrv.password, database: pgsrv.database };
    try {
      bed.addSink({ name: 'hq', site: 'north', target: { kind: 'https', url: rx.url, auth: 'bearer', caPem: pki.caPem }, secret: 'tok', tuning: TUNING });
      bed.addSink({ name: 'broker', site: 'north', target: { kind: 'mqtt', url: mosq.url, topicPrefix: 'watchroom' }, tuning: TUNING });
      bed.addSink({ name: 'central', site: 'north', target: { kind: 'postgres', host: pgsrv.host, port: pgsrv.port, database: pgsrv.database, user: pgsrv.user }, secret: pgsrv.password, tuning: TUNING });
      bed.produce(5);
      await until('first batch everywhere', () => rx.auditHeads.length > 0 && heads.length > 0, 20_000);
      expect(rx.auditHeads[0]).toBe(`41.${'a'.repeat(64)}`);
      expect(heads[0]).toBe(`41.${'a'.repeat(64)}`);
      head = { id: 42, hash: 'b'.repeat(64) };
      bed.produce(5);
      await until('the next head', () => rx.auditHeads.includes(`42.${'b'.repeat(64)}`) && heads.includes(`42.${'b'.repeat(64)}`), 20_000);
      const c = new pg.Client({ ...conn, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        let rows: { audit_id: string; audit_hash: string }[] = [];
        await until('both heads in PostgreSQL', async () => (rows = (await c.query<{ audit_id: string; audit_hash: string }>("SELECT audit_id, audit_hash FROM watchroom.audit_heads WHERE site = 'north' ORDER BY audit_id").catch(() => ({ rows: [] }))).rows).length === 2, 30_000);
        expect(rows).toEqual([
          { audit_id: '41', audit_hash: 'a'.repeat(64) },
          { audit_id: '42', audit_hash: 'b'.repeat(64) },
        ]);
      } finally {
        await c.end();
      }
    } finally {
      await bed.dispose();
      await sub.endAsync(true);
      await rx.close();
    }
  });
});
