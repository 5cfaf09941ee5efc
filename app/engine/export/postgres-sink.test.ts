import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The TimescaleDB path of the PostgreSQL sink, without TimescaleDB: it is not installable on the build machine,
 * so these tests do not claim a hypertable works. They check the SQL the sink issues on its first connect when
 * the server REPORTS the extension as available (and when it does not, or refuses to create it), against a
 * scripted client. The real PostgreSQL 15 path (no extension) runs in the export integration tests.
 */
const state = vi.hoisted(() => ({
  sql: [] as string[],
  /** Rows of `pg_available_extensions` for timescaledb (0: not available). */
  available: 0,
  /** Versions already in `<schema>.schema_migrations`. */
  applied: [] as number[],
  /** A statement matching this fails like a missing privilege / preload would. */
  failOn: null as RegExp | null,
}));

vi.mock('pg', () => {
  class Client {
    on(): void {}
    async connect(): Promise<void> {}
    async end(): Promise<void> {}
    async query(text: string): Promise<{ rows: unknown[]; rowCount: number }> {
      const sql = text.replace(/\s+/g, ' ').trim();
      state.sql.push(sql);
      if (state.failOn?.test(sql)) throw Object.assign(new Error('extension "timescaledb" must be preloaded'), { code: '0A000' });
      if (sql.startsWith('SELECT version FROM')) return { rows: state.applied.map((version) => ({ version })), rowCount: state.applied.length };
      if (sql.includes('pg_available_extensions')) return { rows: Array.from({ length: state.available }, () => ({ '?column?': 1 })), rowCount: state.available };
      return { rows: [], rowCount: 0 };
    }
  }
  return { default: { Client } };
});

const { PostgresSink } = await import('./postgres-sink');

const sink = () => new PostgresSink({ site: 'north', host: 'db', port: 5432, database: 'ops', user: 'wr', password: 'pw', schema: 'central', ssl: false, caPem: '', timeoutMs: 1000 });
const timescale = () => state.sql.filter((s) => /timescaledb|create_hypertable/.test(s));

afterEach(() => {
  state.sql = [];
  state.available = 0;
  state.applied = [];
  state.failOn = null;
});

describe('PostgreSQL sink: TimescaleDB when the server has it', () => {
  it('after creating the schema, turns events into a hypertable on `at` when the extension is available', async () => {
    state.available = 1;
    const s = sink();
    await s.test(new AbortController().signal);
    await s.close();
    const i = state.sql.indexOf('COMMIT');
    expect(state.sql.slice(0, i + 1).some((q) => q.startsWith('CREATE TABLE "central".events'))).toBe(true);
    // Outside the migration's transaction, after its commit: a failure there cannot undo the schema.
    expect(state.sql.slice(i + 1)).toEqual([
      "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'",
      'CREATE EXTENSION IF NOT EXISTS timescaledb',
      "SELECT create_hypertable('central.events', 'at', if_not_exists => TRUE, migrate_data => TRUE)",
    ]);
    // The key includes the partitioning column, as a hypertable requires of every unique index.
    expect(state.sql.find((q) => q.startsWith('CREATE TABLE "central".events'))).toContain('PRIMARY KEY (site, event_id, at)');
  });

  it('keeps the plain table when the extension is not available, or cannot be created; a migrated schema is not touched again', async () => {
    let s = sink();
    await s.test(new AbortController().signal);
    await s.close();
    expect(timescale()).toEqual(["SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'"]);

    state.sql = [];
    state.available = 1;
    state.failOn = /^CREATE EXTENSION/;
    s = sink();
    await expect(s.test(new AbortController().signal)).resolves.toBeUndefined();
    await s.close();
    expect(timescale()).toEqual(["SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'", 'CREATE EXTENSION IF NOT EXISTS timescaledb']);

    state.sql = [];
    state.failOn = null;
    state.applied = [1];
    s = sink();
    await s.test(new AbortController().signal);
    await s.close();
    expect(timescale()).toEqual([]);
    expect(state.sql.some((q) => q.startsWith('CREATE TABLE "central".events'))).toBe(false);
  });
});
