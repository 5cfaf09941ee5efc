import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExactlyOnce, collectMqtt, createExportBed, pgEventIds, until, type ExportBed } from '../../../test/support/export-harness';
import { makeTestPki, sleep, startHttpsReceiver, startMosquitto, startPostgres, type Mosquitto, type Postgres, type TestPki } from '../../../test/support/export-servers';
import { ExportSinkInputSchema, type ExportSinkInput, type ExportSinkStatus } from '../../shared/domain/export';

/** Flapping and slow sinks (circuit breaker), invalid events (dead letter) and bad configuration, on real servers. */

let pki: TestPki;
let mosq: Mosquitto;
let pgsrv: Postgres;
beforeAll(async () => {
  pki = makeTestPki();
  [mosq, pgsrv] = await Promise.all([startMosquitto({ users: { site: 'right-password' } }), startPostgres()]);
});
afterAll(async () => {
  await Promise.all([mosq?.dispose(), pgsrv?.dispose()]);
});

const status = (bed: ExportBed, id: string): ExportSinkStatus => bed.service.list().find((s) => s.id === id)!.status;
const FAST = { batchSize: 25, timeoutMs: 1000, failureThreshold: 2, maxBackoffMs: 600 };

/** Breaker cycles closed → open → half-open → closed seen in a history. */
function cycles(h: { state: string }[]): number {
  let n = 0;
  for (let i = 0; i + 2 < h.length; i++) if (h[i]!.state === 'open' && h[i + 1]!.state === 'half-open' && h[i + 2]!.state === 'closed') n++;
  return n;
}

describe('circuit breaker', () => {
  it('a flapping sink (up and down every ~1.5 s): the breaker opens and closes each time, every event once, in order', async () => {
    const rx = await startHttpsReceiver({ pki });
    const bed = createExportBed();
    try {
      const id = bed.addSink({ name: 'flappy', site: 's', target: { kind: 'https', url: rx.url, caPem: pki.caPem }, tuning: FAST });
      for (let flap = 0; flap < 4; flap++) {
        for (let i = 0; i < 10; i++) {
          bed.produce(5);
          await sleep(75);
        }
        await rx.down();
        for (let i = 0; i < 10; i++) {
          bed.produce(5);
          await sleep(150);
        }
        await rx.up();
      }
      await until('everything delivered after the flapping', () => rx.events.size >= bed.produced.length, 30_000, () => JSON.stringify(status(bed, id)));
      const h = bed.service.breakerHistory(id);
      expect(cycles(h)).toBeGreaterThanOrEqual(3);
      expect(status(bed, id).breaker).toBe('closed');
      expect(checkExactlyOnce(bed.produced, rx.events, rx.order)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      console.log(`[export] flapping: ${h.length} breaker transitions (${cycles(h)} open→half-open→closed cycles), ${bed.produced.length} events, ${rx.receivedCopies - rx.events.size} duplicates absorbed`);
    } finally {
      await bed.dispose();
      await rx.close();
    }
  });

  it('a slow sink (answers after 2.5 s, timeout 1 s) opens the breaker; once fast again it closes and nothing is lost', async () => {
    const rx = await startHttpsReceiver({ pki });
    rx.delayMs = 2500;
    const bed = createExportBed();
    try {
      const id = bed.addSink({ name: 'slow', site: 's', target: { kind: 'https', url: rx.url, caPem: pki.caPem }, tuning: FAST });
      bed.produce(60);
      await until('breaker open on timeouts', () => status(bed, id).breaker === 'open', 20_000, () => JSON.stringify(status(bed, id)));
      expect(status(bed, id).lastError).toMatch(/did not answer in time/);
      bed.produce(60);
      rx.delayMs = 0;
      await until('everything delivered once fast', () => rx.events.size >= 120 && status(bed, id).backlog === 0, 30_000, () => JSON.stringify(status(bed, id)));
      expect(status(bed, id).breaker).toBe('closed');
      expect(cycles(bed.service.breakerHistory(id))).toBeGreaterThanOrEqual(1);
      expect(checkExactlyOnce(bed.produced, rx.events, rx.order)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
    } finally {
      await bed.dispose();
      await rx.close();
    }
  });
});

describe('dead letter', () => {
  it('events the sink rejects go to dead letter (listed or by a refused batch), the rest flow; a retry delivers them once fixed', async () => {
    const rx = await startHttpsReceiver({ pki });
    const trackOf = (e: { data: Record<string, unknown> }) => Number(e.data.trackId);
    const bed = createExportBed();
    try {
      const id = bed.addSink({ name: 'picky', site: 's', target: { kind: 'https', url: rx.url, caPem: pki.caPem }, tuning: { ...FAST, batchSize: 50 } });
      const first = bed.produce(1)[0]!;
      const base = Number((bed.db.prepare('SELECT track_id FROM ledger_events WHERE id = ?').get(first.id) as { track_id: number }).track_id);
      rx.reject = (e) => ((trackOf(e) - base) % 25 === 7 ? 'camera unknown to HQ' : null);
      rx.poison = (e) => trackOf(e) - base === 111;
      bed.produce(199);
      const bad = new Set(bed.produced.filter((_, i) => i % 25 === 7 || i === 111).map((p) => p.id));
      await until('the rest delivered', () => rx.events.size >= 200 - bad.size && status(bed, id).backlog === 0, 30_000, () => `${rx.events.size} ${JSON.stringify(status(bed, id))}`);
      const dead = bed.service.deadLetters(id);
      expect(new Set(dead.map((d) => d.eventId))).toEqual(bad);
      expect(dead.find((d) => d.eventId === bed.produced[111]!.id)!.reason).toMatch(/HTTP 422/);
      expect(dead.find((d) => d.eventId === bed.produced[7]!.id)!.reason).toBe('camera unknown to HQ');
      for (const id2 of bad) expect(rx.events.has(id2)).toBe(false);
      expect(status(bed, id).deadLetters).toBe(bad.size);
      // The receiving side is fixed; the admin retries.
      rx.reject = () => null;
      rx.poison = () => false;
      expect(bed.service.retryDeadLetters(id).queued).toBe(bad.size);
      await until('dead letters delivered', () => rx.events.size >= 200 && status(bed, id).deadLetters === 0, 20_000, () => JSON.stringify(bed.service.deadLetters(id)));
      expect(checkExactlyOnce(bed.produced, rx.events)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
    } finally {
      await bed.dispose();
      await rx.close();
    }
  });
});

describe('bad configuration', () => {
  /** Sink saved wrong, events keep coming, the message says why; fixed → every event arrives. */
  async function wrongThenRight(o: { wrong: ExportSinkInput; right: ExportSinkInput; message: RegExp; arrived: () => Promise<Set<string>> | Set<string> }): Promise<string> {
    const bed = createExportBed();
    try {
      const id = bed.addSink(o.wrong);
      bed.produce(30);
      await until('the failure reported', () => status(bed, id).lastError, 20_000);
      const st = status(bed, id);
      expect(st.lastError).toMatch(o.message);
      expect(st.lastErrorKind).toBe('config');
      expect(st.backlog).toBeGreaterThanOrEqual(30);
      const test = await bed.service.test(id);
      expect(test.ok).toBe(false);
      expect(test.message).toMatch(o.message);
      expect(bed.service.health().find((c) => c.id === `export:${id}`)!.detail).toMatch(o.message);
      bed.produce(30);
      bed.service.save(ExportSinkInputSchema.parse({ ...o.right, id }));
      let got = new Set<string>();
      await until('all events once configured right', async () => checkExactlyOnce(bed.produced, (got = await o.arrived())).missing === 0, 30_000, () => `${got.size} ${JSON.stringify(status(bed, id))}`);
      expect(checkExactlyOnce(bed.produced, got)).toEqual({ missing: 0, unexpected: 0, outOfOrder: 0 });
      expect((await bed.service.test(id)).ok).toBe(true);
      return st.lastError!;
    } finally {
      await bed.dispose();
    }
  }

  it('HTTPS: wrong token, certificate for another host, unknown host', async () => {
    const rx = await startHttpsReceiver({ pki, bearer: 'right' });
    const wrongHost = await startHttpsReceiver({ pki, bearer: 'right', useWrongCert: true });
    try {
      const right = { name: 'hq', site: 's', target: { kind: 'https' as const, url: rx.url, auth: 'bearer' as const, caPem: pki.caPem }, secret: 'right', tuning: FAST };
      const fresh = () => {
        rx.events.clear();
        rx.order.length = 0;
        return () => new Set(rx.events.keys());
      };
      const msgs = [
        await wrongThenRight({ wrong: { ...right, secret: 'wrong' }, right, message: /refused the credentials \(HTTP 401\)/, arrived: fresh() }),
        await wrongThenRight({ wrong: { ...right, target: { ...right.target, url: wrongHost.url } }, right, message: /certificate of 127\.0\.0\.1:\d+ does not match its host name/, arrived: fresh() }),
        await wrongThenRight({ wrong: { ...right, target: { ...right.target, caPem: '' } }, right, message: /not signed by a trusted CA/, arrived: fresh() }),
        await wrongThenRight({ wrong: { ...right, target: { ...right.target, url: 'https://no-such-host.invalid/ingest' } }, right, message: /Unknown host: no-such-host\.invalid cannot be found/, arrived: fresh() }),
      ];
      console.log(`[export] https config messages:\n  ${msgs.join('\n  ')}`);
    } finally {
      await rx.close();
      await wrongHost.close();
    }
  });

  it('PostgreSQL: wrong password; MQTT: wrong password', async () => {
    const conn = { host: pgsrv.host, port: pgsrv.port, user: pgsrv.user, password: pgsrv.password, database: pgsrv.database };
    const pgRight = { name: 'central', site: 'cfg', target: { kind: 'postgres' as const, host: pgsrv.host, port: pgsrv.port, database: pgsrv.database, user: pgsrv.user }, secret: pgsrv.password, tuning: FAST };
    const m1 = await wrongThenRight({ wrong: { ...pgRight, secret: 'nope' }, right: pgRight, message: /refused the user name or password/, arrived: async () => (await pgEventIds(conn, 'cfg')).ids });
    const col = await collectMqtt(mosq.url, 'watchroom/#', { username: 'site', password: 'right-password' });
    try {
      const mqRight = { name: 'hub', site: 'cfg', target: { kind: 'mqtt' as const, url: mosq.url, username: 'site' }, secret: 'right-password', tuning: FAST };
      const m2 = await wrongThenRight({ wrong: { ...mqRight, secret: 'nope' }, right: mqRight, message: /refused the user name or password/, arrived: () => new Set(col.ids.keys()) });
      console.log(`[export] pg/mqtt config messages:\n  ${m1}\n  ${m2}`);
    } finally {
      await col.close();
    }
  });
});
