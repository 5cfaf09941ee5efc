import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExactlyOnce, collectMqtt, createExportBed, pgEventIds, until, type ExportBed } from '../../../test/support/export-harness';
import { makeTestPki, sleep, startHttpsReceiver, startMosquitto, startPostgres, startTcpProxy, type Mosquitto, type Postgres, type TestPki } from '../../../test/support/export-servers';

/**
 * A sink down for a stretch while events keep coming, then back: every event arrives exactly once (by id at the
 * sink), each camera's events in order. Real servers on 127.0.0.1: an HTTPS receiver, mosquitto, PostgreSQL 15.
 */

const TUNING = { batchSize: 40, timeoutMs: 3000, failureThreshold: 3, maxBackoffMs: 800, backlogAlarmMinutes: 15 };

/** Produces events in small transactions while `during` runs, then returns. */
async function produceWhile(bed: ExportBed, rounds: number, perRound: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    bed.produce(perRound);
    await sleep(20);
  }
}

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

describe('export through an outage', () => {
  it('HTTPS: receiver down for a stretch, then back: every event once, per-camera order kept, breaker opened and closed', async () => {
    const rx = await startHttpsReceiver({ pki, bearer: 'tok-1' });
    const bed = createExportBed();
    try {
      const sinkId = bed.addSink({ name: 'hq', site: 'north', target: { kind: 'https', url: rx.url, auth: 'bearer', caPem: pki.caPem }, secret: 'tok-1', tuning: TUNING });
      await produceWhile(bed, 10, 10);
      await until('first events at the receiver', () => rx.events.size >= 50, 20_000);
      await rx.down();
      await produceWhile(bed, 20, 10);
      const runner = () => bed.service.list().find((s) => s.id === sinkId)!.status;
      await until('breaker open while the receiver is down', () => runner().breaker !== 'closed', 20_000, () => JSON.stringify(runner()));
      expect(runner().backlog).toBeGreaterThan(0);
      expect(runner().lastError).toMatch(/refuses connections|cut|did not answer/);
      await rx.up();
      await produceWhile(bed, 10, 10);
      await until('all events at the receiver', () => rx.events.size >= bed.produced.length, 30_000, () => `${rx.events.size}/${bed.produced.length} ${JSON.stringify(runner())}`);
      await sleep(300);
      const r = checkExactlyOnce(bed.produced, rx.events, rx.order);
      expect(r).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      expect(rx.events.size).toBe(400);
      expect(runner().breaker).toBe('closed');
      expect(runner().backlog).toBe(0);
      console.log(`[export] https outage: ${bed.produced.length} events, ${rx.receivedCopies} copies received (${rx.receivedCopies - rx.events.size} duplicates absorbed by id), ${rx.batches} batches`);
    } finally {
      await bed.dispose();
      await rx.close();
    }
  });

  it('MQTT: link to the broker cut for a stretch, then back: every event once by id, per-camera order kept', async () => {
    const proxy = await startTcpProxy(mosq.port);
    const col = await collectMqtt(mosq.url);
    const bed = createExportBed();
    try {
      const sinkId = bed.addSink({ name: 'broker', site: 'north', target: { kind: 'mqtt', url: `mqtt://127.0.0.1:${proxy.port}`, topicPrefix: 'watchroom' }, tuning: TUNING });
      await produceWhile(bed, 10, 10);
      await until('first events at the broker', () => col.ids.size >= 50, 20_000, () => JSON.stringify(bed.service.list()[0]?.status) + mosq.log());
      await proxy.down();
      await produceWhile(bed, 20, 10);
      const st = () => bed.service.list().find((s) => s.id === sinkId)!.status;
      await until('breaker open while the link is down', () => st().breaker !== 'closed', 20_000, () => JSON.stringify(st()));
      await proxy.up();
      await produceWhile(bed, 10, 10);
      await until('all events at the subscriber', () => col.ids.size >= bed.produced.length, 30_000, () => `${col.ids.size}/${bed.produced.length} ${JSON.stringify(st())}`);
      await sleep(300);
      expect(checkExactlyOnce(bed.produced, col.ids, col.order)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      expect(col.ids.size).toBe(400);
      expect([...col.ids.values()][0]!.topic).toBe('watchroom/north/events/line_cross');
      console.log(`[export] mqtt outage: ${bed.produced.length} events, ${col.copies} messages (${col.copies - col.ids.size} duplicates to drop by id)`);
    } finally {
      await bed.dispose();
      await col.close();
      await proxy.close();
    }
  });

  it('PostgreSQL: server stopped for a stretch, then restarted: every event stored once (upsert by id), schema created by the app', async () => {
    const bed = createExportBed();
    const conn = { host: pgsrv.host, port: pgsrv.port, user: pgsrv.user, password: pgsrv.password, database: pgsrv.database };
    try {
      const sinkId = bed.addSink({ name: 'central', site: 'north', target: { kind: 'postgres', host: pgsrv.host, port: pgsrv.port, database: pgsrv.database, user: pgsrv.user }, secret: pgsrv.password, tuning: TUNING });
      await produceWhile(bed, 10, 10);
      await until('first events in PostgreSQL', async () => (await pgEventIds(conn, 'north')).rows >= 50, 30_000);
      await pgsrv.stop();
      await produceWhile(bed, 20, 10);
      const st = () => bed.service.list().find((s) => s.id === sinkId)!.status;
      await until('breaker open while PostgreSQL is down', () => st().breaker !== 'closed', 20_000, () => JSON.stringify(st()));
      await pgsrv.start();
      await produceWhile(bed, 10, 10);
      let last = { ids: new Set<string>(), rows: 0 };
      await until('all events in PostgreSQL', async () => (last = await pgEventIds(conn, 'north')).rows >= bed.produced.length, 40_000, () => `${last.rows}/${bed.produced.length} ${JSON.stringify(st())}`);
      expect(checkExactlyOnce(bed.produced, last.ids)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      expect(last.rows).toBe(400);
      expect(st().breaker).toBe('closed');
    } finally {
      await bed.dispose();
    }
  });
});
