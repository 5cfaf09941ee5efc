/**
 * SQL of migration 3 (event ledger + stored tracks). Shipped schema: append-only like migrations.ts — never edit
 * this text once released; add a new migration instead.
 *
 * - `ledger_events`: one immutable row per analytics event (crossing, zone enter/exit, loiter/intrusion/overcrowd).
 *   `dedupe_key` is deterministic so a replayed import or a double submit stores one copy.
 * - `ledger_amendments`: append-only voids and corrections of events (the event row never changes).
 * - `ledger_resets`: append-only "occupancy is 0 now" marks per zone rule.
 * - `ledger_marked` / `ledger_effective`: events with corrections applied (marked: all, with a voided flag;
 *   effective: voided ones excluded). Totals and occupancy are derived from `ledger_effective` by queries.
 * - `tracks`: compact downsampled track polylines (retention-pruned, so not immutable).
 */
const immutable = (table: string): string => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} rows are immutable'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} rows are immutable'); END;`;

const latest = (field: string): string =>
  `(SELECT a.${field} FROM ledger_amendments a WHERE a.event_id = e.id AND a.kind = 'correct' AND a.${field} IS NOT NULL ORDER BY a.id DESC LIMIT 1)`;

export const LEDGER_MIGRATION_SQL = `
  CREATE TABLE ledger_events (
    id          TEXT PRIMARY KEY,
    camera_id   TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    track_id    INTEGER NOT NULL,
    cls         TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('line.cross', 'zone.enter', 'zone.exit', 'zone.loiter', 'zone.intrusion', 'zone.overcrowd')),
    direction   TEXT CHECK (direction IN ('in', 'out')),
    confidence  REAL NOT NULL,
    frame_at    TEXT NOT NULL,
    frame_ms    INTEGER NOT NULL,
    model_id    TEXT,
    snapshot    TEXT,
    box         TEXT,
    detail      TEXT,
    source      TEXT NOT NULL CHECK (source = 'live' OR source LIKE 'import:_%'),
    dedupe_key  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    CHECK ((type = 'line.cross') = (direction IS NOT NULL))
  ) STRICT;
  CREATE INDEX ledger_events_camera_time ON ledger_events (camera_id, frame_ms);
  CREATE INDEX ledger_events_rule_time ON ledger_events (camera_id, rule_id, frame_ms);
  CREATE INDEX ledger_events_time ON ledger_events (frame_ms);
  ${immutable('ledger_events')}

  CREATE TABLE ledger_amendments (
    id         TEXT PRIMARY KEY,
    event_id   TEXT NOT NULL REFERENCES ledger_events (id),
    kind       TEXT NOT NULL CHECK (kind IN ('void', 'correct')),
    direction  TEXT CHECK (direction IN ('in', 'out')),
    cls        TEXT,
    count      INTEGER CHECK (count >= 0),
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    by_user    TEXT,
    at         TEXT NOT NULL
  ) STRICT;
  CREATE INDEX ledger_amendments_event ON ledger_amendments (event_id);
  CREATE UNIQUE INDEX ledger_amendments_one_void ON ledger_amendments (event_id) WHERE kind = 'void';
  ${immutable('ledger_amendments')}

  CREATE TABLE ledger_resets (
    id         TEXT PRIMARY KEY,
    camera_id  TEXT NOT NULL,
    rule_id    TEXT NOT NULL,
    at_ms      INTEGER NOT NULL,
    reason     TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    by_user    TEXT,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX ledger_resets_rule ON ledger_resets (camera_id, rule_id, at_ms);
  ${immutable('ledger_resets')}

  CREATE VIEW ledger_marked AS
  SELECT e.id, e.camera_id, e.rule_id, e.track_id, e.type, e.confidence, e.frame_at, e.frame_ms, e.model_id,
         e.snapshot, e.box, e.detail, e.source, e.created_at,
         COALESCE(${latest('direction')}, e.direction) AS direction,
         COALESCE(${latest('cls')}, e.cls) AS cls,
         COALESCE(${latest('count')}, 1) AS count,
         e.direction AS original_direction, e.cls AS original_cls,
         (SELECT COUNT(*) FROM ledger_amendments a WHERE a.event_id = e.id AND a.kind = 'correct') AS corrections,
         EXISTS (SELECT 1 FROM ledger_amendments a WHERE a.event_id = e.id AND a.kind = 'void') AS voided
  FROM ledger_events e;
  CREATE VIEW ledger_effective AS SELECT * FROM ledger_marked WHERE voided = 0;

  CREATE TABLE tracks (
    id          INTEGER PRIMARY KEY,
    camera_id   TEXT NOT NULL,
    session     TEXT NOT NULL,
    track_id    INTEGER NOT NULL,
    cls         TEXT NOT NULL,
    first_ms    INTEGER NOT NULL,
    last_ms     INTEGER NOT NULL,
    point_count INTEGER NOT NULL,
    points      BLOB NOT NULL
  ) STRICT;
  CREATE INDEX tracks_camera_time ON tracks (camera_id, last_ms);
`;
