import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { ExportService, type ExportServiceOptions } from '../../app/engine/export/export.service';
import { LedgerRepository, type LedgerEventInput } from '../../app/engine/ledger/ledger.repository';
import { nullLogger, type Logger } from '../../app/engine/logging/logger';
import { openDatabase, type Db } from '../../app/engine/storage/database';
import { plaintextSecretBox } from '../../app/engine/storage/secret-box';
import type { ExportSinkInput } from '../../app/shared/domain/export';
import { ExportSinkInputSchema } from '../../app/shared/domain/export';
import { sleep } from './export-servers';

/** What the tests produced: id and camera, in production order. */
export interface Produced {
  id: string;
  cameraId: string;
}

/**
 * A data directory with the export service running on it and the ledger's real write path (LedgerRepository with
 * the outbox hook): `produce` appends ledger rows exactly as the engine does.
 */
export interface ExportBed {
  dataDir: string;
  db: Db;
  service: ExportService;
  ledger: LedgerRepository;
  produced: Produced[];
  /** Appends n ledger rows spread over `cameras` (one transaction). */
  produce(n: number, cameras?: readonly string[]): Produced[];
  addSink(input: ExportSinkInput): string;
  dispose(): Promise<void>;
}

let frameMs = Date.UTC(2026, 10, 20, 8, 0, 0);
let track = 1;

export function createExportBed(o: { dataDir?: string; logger?: Logger; service?: Partial<ExportServiceOptions> } = {}): ExportBed {
  const dataDir = o.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wr-export-'));
  const db = openDatabase({ dataDir, logger: nullLogger });
  const service = new ExportService({ db, secretBox: plaintextSecretBox, logger: o.logger ?? nullLogger, idleMs: 50, baseBackoffMs: 100, maintenanceMs: 1000, ...o.service });
  const ledger = new LedgerRepository(db, undefined, service.onLedgerRowInTx);
  service.start();
  const produced: Produced[] = [];
  return {
    dataDir,
    db,
    service,
    ledger,
    produced,
    produce(n, cameras = ['cam-a', 'cam-b', 'cam-c']) {
      const batch: LedgerEventInput[] = [];
      for (let i = 0; i < n; i++) {
        frameMs += 7;
        batch.push({ cameraId: cameras[i % cameras.length]!, ruleId: 'door', trackId: track++, cls: 'person', type: 'line.cross', direction: i % 2 ? 'in' : 'out', confidence: 0.9, frameMs, source: 'live' });
      }
      const rows = ledger.append(batch).map((r) => ({ id: r.id, cameraId: r.cameraId }));
      produced.push(...rows);
      return rows;
    },
    addSink(input) {
      return service.save(ExportSinkInputSchema.parse(input)).id;
    },
    async dispose() {
      await service.stop();
      db.close();
      if (!o.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls (bounded in time and count) until `fn` is truthy. */
export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs: number, detail: () => string = () => ''): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (let i = 0; i < 100_000; i++) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) break;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
}

/**
 * Checks delivery at the sink: every produced id exactly once in effect (the sink's de-duplicated set equals the
 * produced set) and, when arrival order is known, each camera's events in production order.
 */
export function checkExactlyOnce(produced: readonly Produced[], atSink: ReadonlySet<string> | ReadonlyMap<string, unknown>, order?: readonly string[]): { missing: number; unexpected: number; outOfOrder: number } {
  const want = new Set(produced.map((p) => p.id));
  let missing = 0;
  for (const id of want) if (!atSink.has(id)) missing++;
  let unexpected = 0;
  for (const id of atSink.keys()) if (!want.has(id)) unexpected++;
  let outOfOrder = 0;
  if (order) {
    const cam = new Map(produced.map((p) => [p.id, p.cameraId]));
    const rank = new Map(produced.map((p, i) => [p.id, i]));
    const last = new Map<string, number>();
    for (const id of order) {
      const c = cam.get(id);
      if (c === undefined) continue;
      const r = rank.get(id)!;
      if ((last.get(c) ?? -1) > r) outOfOrder++;
      last.set(c, r);
    }
  }
  return { missing, unexpected, outOfOrder };
}

/** An MQTT subscriber straight on the broker, collecting exported events (first copy per id, arrival order). */
export interface MqttCollector {
  ids: Map<string, { camera: string | null; topic: string }>;
  order: string[];
  copies: number;
  retained: Map<string, string>;
  /** Times the subscriber lost its connection (its session is persistent, so nothing is lost then). */
  reconnects: number;
  close(): Promise<void>;
}

export async function collectMqtt(url: string, topic = 'watchroom/#', auth: { username?: string; password?: string } = {}): Promise<MqttCollector> {
  // A persistent session: messages published while the subscriber reconnects wait for it at the broker.
  const c: MqttClient = await mqtt.connectAsync(url, { ...auth, reconnectPeriod: 500, clean: false, clientId: `collector-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, connectTimeout: 5000 });
  const col: MqttCollector = {
    ids: new Map(),
    order: [],
    copies: 0,
    retained: new Map(),
    reconnects: 0,
    close: () => c.endAsync(true),
  };
  c.on('reconnect', () => col.reconnects++);
  c.on('message', (t, payload, packet) => {
    let m: { id?: string; camera?: string | null };
    try {
      m = JSON.parse(payload.toString()) as typeof m;
    } catch {
      return;
    }
    if (t.includes('/cameras/')) {
      col.retained.set(t, payload.toString());
      if (packet.retain) return;
      return;
    }
    if (!m.id) return;
    col.copies++;
    if (!col.ids.has(m.id)) {
      col.ids.set(m.id, { camera: m.camera ?? null, topic: t });
      col.order.push(m.id);
    }
  });
  await c.subscribeAsync(topic, { qos: 1 });
  return col;
}

/** Event ids stored in the central PostgreSQL for a site. */
export async function pgEventIds(conn: { host: string; port: number; user: string; password: string; database: string }, site: string, schema = 'watchroom'): Promise<{ ids: Set<string>; rows: number }> {
  const c = new pg.Client({ ...conn, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    const r = await c.query<{ event_id: string }>(`SELECT event_id FROM ${schema}.events WHERE site = $1`, [site]);
    return { ids: new Set(r.rows.map((x) => x.event_id)), rows: r.rowCount ?? 0 };
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return { ids: new Set(), rows: 0 };
    throw err;
  } finally {
    await c.end();
  }
}

/** Number of events stored in the central PostgreSQL for a site (0 before the schema exists). */
export async function pgEventCount(conn: { host: string; port: number; user: string; password: string; database: string }, site: string, schema = 'watchroom'): Promise<number> {
  const c = new pg.Client({ ...conn, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.events WHERE site = $1`, [site]);
    return Number(r.rows[0]!.n);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') return 0;
    throw err;
  } finally {
    await c.end();
  }
}
