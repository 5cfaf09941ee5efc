/**
 * SQL of migration 8 (store-and-forward export). Shipped schema: append-only like migrations.ts — never edit this
 * text once released; add a new migration instead.
 *
 * - `export_outbox`: one row per exported event, written in the same transaction as the row it stands for
 *   (ledger event, alarm transition, camera status change). `seq` is AUTOINCREMENT so a number is never reused
 *   after the head is pruned: sink cursors compare seqs. Rows are only ever deleted from the head (lowest seqs),
 *   so `max(seq) - min(seq) + 1` is the row count.
 * - `export_sinks`: configured sinks (target JSON without secrets, the secret sealed by the SecretBox), each with
 *   its own cursor (the last outbox seq it has dealt with) and the number of events dropped at the cap for it.
 * - `export_dead_letters`: events a sink rejected as invalid, with a copy of the event (the outbox head may be
 *   pruned meanwhile); 'retry' rows are re-sent before new ones.
 * - `export_meta`: counters (rows dropped at the cap).
 */
export const EXPORT_MIGRATION_SQL = `
  CREATE TABLE export_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT NOT NULL UNIQUE,
    type       TEXT NOT NULL,
    camera_id  TEXT,
    rule_id    TEXT,
    at_ms      INTEGER NOT NULL,
    data       TEXT NOT NULL,
    created_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX export_outbox_at ON export_outbox (at_ms);

  CREATE TABLE export_sinks (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL COLLATE NOCASE UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('https', 'mqtt', 'postgres')),
    enabled    INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    site       TEXT NOT NULL,
    target     TEXT NOT NULL,
    filters    TEXT NOT NULL,
    tuning     TEXT NOT NULL,
    secret     TEXT,
    cursor     INTEGER NOT NULL DEFAULT 0,
    dropped    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE export_dead_letters (
    sink_id   TEXT NOT NULL REFERENCES export_sinks (id) ON DELETE CASCADE,
    event_id  TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    type      TEXT NOT NULL,
    camera_id TEXT,
    rule_id   TEXT,
    at_ms     INTEGER NOT NULL,
    data      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    attempts  INTEGER NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('dead', 'retry')),
    dead_at   TEXT NOT NULL,
    PRIMARY KEY (sink_id, event_id)
  ) STRICT;
  CREATE INDEX export_dead_letters_state ON export_dead_letters (sink_id, state, seq);

  CREATE TABLE export_meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) STRICT;
`;
