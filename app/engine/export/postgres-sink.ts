import pg from 'pg';
import type { ExportEvent } from '../../shared/domain/export';
import { networkErrorMessage, SinkError, type BatchContext, type DeliveryResult, type Sink } from './sink';

/** PostgreSQL target settings (see PostgresTargetSchema). */
export interface PostgresSinkOptions {
  site: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  schema: string;
  ssl: boolean;
  caPem: string;
  /** Connect and statement timeout, ms. */
  timeoutMs: number;
}

/**
 * The central schema, versioned like the app's own (append only). Many workstations share one database: every
 * row carries its `site`, and the key is (site, event_id, at) — `at` is part of it so the table can become a
 * TimescaleDB hypertable (which needs the partitioning column in every unique index).
 */
export const CENTRAL_MIGRATIONS: readonly { version: number; sql: (s: string) => string }[] = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.events (
        site        text        NOT NULL,
        event_id    text        NOT NULL,
        type        text        NOT NULL,
        camera_id   text,
        rule_id     text,
        at          timestamptz NOT NULL,
        data        jsonb       NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site, event_id, at)
      );
      CREATE INDEX events_site_camera_at ON ${s}.events (site, camera_id, at);
      CREATE INDEX events_site_type_at ON ${s}.events (site, type, at);
      CREATE TABLE ${s}.camera_status (
        site      text        NOT NULL,
        camera_id text        NOT NULL,
        state     text        NOT NULL,
        at        timestamptz NOT NULL,
        event_id  text        NOT NULL,
        data      jsonb       NOT NULL,
        PRIMARY KEY (site, camera_id)
      );`,
  },
  {
    // The audit trail's head each batch carried: an outside witness of how far a workstation's trail reached.
    version: 2,
    sql: (s) => `
      CREATE TABLE ${s}.audit_heads (
        site        text        NOT NULL,
        audit_id    bigint      NOT NULL,
        audit_hash  text        NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site, audit_id)
      );`,
  },
];

/**
 * Upserts events into `<schema>.events` (ON CONFLICT DO NOTHING by site + event id), and the latest state of each
 * camera into `<schema>.camera_status`. Creates and migrates its schema on first connect (under an advisory lock,
 * so several workstations can start at once); turns `events` into a hypertable when TimescaleDB is available.
 */
export class PostgresSink implements Sink {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly schemaSql: string;
  private readonly host: string;

  constructor(private readonly o: PostgresSinkOptions) {
    this.schemaSql = `"${o.schema.replace(/"/g, '')}"`;
    this.host = `${o.host}:${o.port}`;
  }

  async deliver(events: readonly ExportEvent[], signal: AbortSignal, batch?: BatchContext): Promise<DeliveryResult> {
    const c = await this.connect(signal);
    const onAbort = () => this.drop();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await c.query('BEGIN');
      if (events.length) {
        await c.query(
          `INSERT INTO ${this.schemaSql}.events (site, event_id, type, camera_id, rule_id, at, data)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[])
           ON CONFLICT DO NOTHING`,
          [this.o.site, events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.cameraId), events.map((e) => e.ruleId), events.map((e) => e.at), events.map((e) => JSON.stringify(e.data))],
        );
        for (const e of events) {
          if (e.type !== 'camera.status' || !e.cameraId) continue;
          await c.query(
            `INSERT INTO ${this.schemaSql}.camera_status (site, camera_id, state, at, event_id, data) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (site, camera_id) DO UPDATE SET state = excluded.state, at = excluded.at, event_id = excluded.event_id, data = excluded.data
             WHERE ${this.schemaSql}.camera_status.at <= excluded.at`,
            [this.o.site, e.cameraId, String(e.data.state ?? 'unknown'), e.at, e.id, JSON.stringify(e.data)],
          );
        }
      }
      if (events.length && batch?.auditHead) {
        await c.query(`INSERT INTO ${this.schemaSql}.audit_heads (site, audit_id, audit_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [this.o.site, batch.auditHead.id, batch.auditHead.hash]);
      }
      await c.query('COMMIT');
      return { rejected: [] };
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw this.mapError(err, signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async test(signal: AbortSignal): Promise<void> {
    await this.connect(signal);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.connecting = null;
    if (c) await c.end().catch(() => undefined);
  }

  private connect(signal: AbortSignal): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    const p = (async () => {
      const c = new pg.Client({
        host: this.o.host,
        port: this.o.port,
        database: this.o.database,
        user: this.o.user,
        password: this.o.password,
        connectionTimeoutMillis: this.o.timeoutMs,
        statement_timeout: this.o.timeoutMs,
        application_name: `watchroom-${this.o.site}`,
        ...(this.o.ssl ? { ssl: this.o.caPem.trim() ? { ca: this.o.caPem, rejectUnauthorized: true } : { rejectUnauthorized: true } } : {}),
      });
      c.on('error', () => {
        if (this.client === c) this.client = null;
      });
      const onAbort = () => void c.end().catch(() => undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await c.connect();
        await this.migrate(c);
      } catch (err) {
        await c.end().catch(() => undefined);
        throw this.mapError(err, signal);
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      this.client = c;
      return c;
    })();
    this.connecting = p;
    const clear = () => {
      if (this.connecting === p) this.connecting = null;
    };
    p.then(clear, clear);
    return p;
  }

  /** Creates/migrates the central schema (once per connection). */
  private async migrate(c: pg.Client): Promise<void> {
    const s = this.schemaSql;
    await c.query('BEGIN');
    try {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('watchroom-export-schema'))");
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set((await c.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`)).rows.map((r) => r.version));
      let created = false;
      for (const m of CENTRAL_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.sql(s));
        await c.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [m.version]);
        created ||= m.version === 1;
      }
      await c.query('COMMIT');
      if (created) await this.tryHypertable(c);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /** TimescaleDB when the server has it (best effort: without the extension or the right, a plain table works). */
  private async tryHypertable(c: pg.Client): Promise<void> {
    const has = await c.query("SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'");
    if (!has.rowCount) return;
    try {
      await c.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
      await c.query(`SELECT create_hypertable('${this.o.schema}.events', 'at', if_not_exists => TRUE, migrate_data => TRUE)`);
    } catch {
      // No right to create the extension: keep the plain table.
    }
  }

  private drop(): void {
    const c = this.client;
    this.client = null;
    void c?.end().catch(() => undefined);
  }

  private mapError(err: unknown, signal: AbortSignal): SinkError {
    if (err instanceof SinkError) return err;
    const e0 = err as { code?: string };
    if (/^2[23]/.test(e0?.code ?? '') && e0.code !== '23505') {
      // The transaction was rolled back; the connection is fine, keep it.
      return new SinkError('invalid', `PostgreSQL rejected the data (${e0.code}): ${(err as Error).message ?? ''}`.slice(0, 300));
    }
    this.drop();
    if (signal.aborted) return new SinkError('transient', `PostgreSQL at ${this.host} did not answer in time.`);
    const e = err as { code?: string; message?: string };
    const code = e?.code ?? '';
    if (code === '28P01' || code === '28000') return new SinkError('config', `PostgreSQL at ${this.host} refused the user name or password.`);
    if (code === '3D000') return new SinkError('config', `PostgreSQL at ${this.host} has no database "${this.o.database}".`);
    if (code === '42501') return new SinkError('config', `The PostgreSQL user "${this.o.user}" may not create or write the "${this.o.schema}" schema.`);
    if (/self[- ]signed|certificate|SSL/i.test(e?.message ?? '') && !networkErrorMessage(err, this.host)) {
      return new SinkError('config', `TLS with PostgreSQL at ${this.host} failed: ${e.message}`);
    }
    if (/timeout/i.test(e?.message ?? '')) return new SinkError('transient', `PostgreSQL at ${this.host} does not answer (timed out).`);
    return networkErrorMessage(err, this.host) ?? new SinkError('transient', `PostgreSQL at ${this.host}: ${e?.message ?? String(err)}`);
  }
}
