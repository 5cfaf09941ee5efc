/**
 * SQL of migration 5 (reports). Shipped schema: append-only like migrations.ts — never edit this text once
 * released; add a new migration instead.
 *
 * - `report_rollup_15m`: effective counts per 15-minute UTC bucket × camera × rule × class × kind, kept in step
 *   with the ledger by triggers (an event adds 1; an amendment first takes the event's effective figures out,
 *   then puts the amended ones back, so voids drop it and corrections move it). Every modern time zone's offset
 *   is a multiple of 15 minutes, so local 15-minute, hour, day, week and month buckets are unions of these
 *   rows. Backfilled from `ledger_effective` when the migration runs.
 * - `occurrence_entries`: the occurrence book (officers' free-text entries), immutable.
 * - `shift_signoffs`: one sign-off per shift at handover, immutable.
 * - `camera_incidents`: camera health incidents (offline / stalled / reconnecting spans) from camera states.
 * - `report_schedules`: scheduled reports and their last run.
 */
const immutable = (table: string): string => `
  CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} rows are immutable'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} rows are immutable'); END;`;

/** Kind of a (type, direction) pair; must match kindOf() in app/shared/domain/reports.ts. */
const kind = (t: string) =>
  `CASE WHEN ${t}.type = 'line.cross' THEN (CASE ${t}.direction WHEN 'out' THEN 'out' ELSE 'in' END)
        WHEN ${t}.type = 'zone.enter' THEN 'enter' WHEN ${t}.type = 'zone.exit' THEN 'exit' ELSE 'alarm' END`;
const bucket = (t: string) => `(${t}.frame_ms / 900000) * 900000`;

/** Adds (sign +1) or removes (sign -1) one event's effective figures to/from the rollup. */
const rollupMarked = (sign: 1 | -1) => `
    INSERT INTO report_rollup_15m (bucket_ms, camera_id, rule_id, cls, kind, count)
    SELECT ${bucket('m')}, m.camera_id, m.rule_id, m.cls, ${kind('m')}, ${sign} * m.count
    FROM ledger_marked m WHERE m.id = NEW.event_id AND m.voided = 0
    ON CONFLICT (bucket_ms, camera_id, rule_id, cls, kind) DO UPDATE SET count = count + excluded.count;`;

export const REPORTS_MIGRATION_SQL = `
  CREATE TABLE report_rollup_15m (
    bucket_ms  INTEGER NOT NULL,
    camera_id  TEXT NOT NULL,
    rule_id    TEXT NOT NULL,
    cls        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (bucket_ms, camera_id, rule_id, cls, kind)
  ) STRICT, WITHOUT ROWID;

  INSERT INTO report_rollup_15m (bucket_ms, camera_id, rule_id, cls, kind, count)
  SELECT ${bucket('m')}, m.camera_id, m.rule_id, m.cls, ${kind('m')}, SUM(m.count)
  FROM ledger_effective m GROUP BY 1, 2, 3, 4, 5;

  CREATE TRIGGER report_rollup_event AFTER INSERT ON ledger_events BEGIN
    INSERT INTO report_rollup_15m (bucket_ms, camera_id, rule_id, cls, kind, count)
    VALUES (${bucket('NEW')}, NEW.camera_id, NEW.rule_id, NEW.cls, ${kind('NEW')}, 1)
    ON CONFLICT (bucket_ms, camera_id, rule_id, cls, kind) DO UPDATE SET count = count + 1;
  END;
  CREATE TRIGGER report_rollup_amend_before BEFORE INSERT ON ledger_amendments BEGIN ${rollupMarked(-1)}
  END;
  CREATE TRIGGER report_rollup_amend_after AFTER INSERT ON ledger_amendments BEGIN ${rollupMarked(1)}
  END;

  CREATE TABLE occurrence_entries (
    id         TEXT PRIMARY KEY,
    at_ms      INTEGER NOT NULL,
    text       TEXT NOT NULL CHECK (length(trim(text)) > 0),
    by_user    TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX occurrence_entries_time ON occurrence_entries (at_ms);
  ${immutable('occurrence_entries')}

  CREATE TABLE shift_signoffs (
    id          TEXT PRIMARY KEY,
    shift_from  INTEGER NOT NULL,
    shift_to    INTEGER NOT NULL CHECK (shift_to > shift_from),
    by_user     TEXT NOT NULL,
    note        TEXT,
    at_ms       INTEGER NOT NULL,
    UNIQUE (shift_from, shift_to)
  ) STRICT;
  ${immutable('shift_signoffs')}

  CREATE TABLE camera_incidents (
    id         TEXT PRIMARY KEY,
    camera_id  TEXT NOT NULL,
    state      TEXT NOT NULL,
    from_ms    INTEGER NOT NULL,
    to_ms      INTEGER,
    detail     TEXT
  ) STRICT;
  CREATE INDEX camera_incidents_time ON camera_incidents (from_ms);

  CREATE TABLE report_schedules (
    id          TEXT PRIMARY KEY,
    type        TEXT NOT NULL CHECK (type IN ('daily', 'weekly', 'monthly', 'shift')),
    format      TEXT NOT NULL CHECK (format IN ('pdf', 'csv')),
    time        TEXT NOT NULL,
    weekday     INTEGER,
    folder      TEXT NOT NULL,
    last_run_at INTEGER,
    created_at  TEXT NOT NULL
  ) STRICT;
`;
