/**
 * SQL of migration 4 (alarms, their history, arming, layouts). Shipped schema: append-only like migrations.ts —
 * never edit this text once released; add a new migration instead.
 *
 * - `alarms`: one row per alarm, its CURRENT state (status, priority, acknowledged/closed by whom and when,
 *   outcome, comment). Times are stored twice: epoch ms (`*_ms`, for ranges and sorting) and ISO-8601 UTC
 *   (`*_at`, for people and reports). Written only by AlarmStore, always together with a history row.
 * - `alarm_history`: immutable, one row per transition (open, retrigger, escalate, acknowledge, hold, resume,
 *   close, recover) with who (`by_user`), when, the status before and after, and outcome/comment of a close.
 * - `alarm_arming`: rules armed as alarms per camera (priority 1..5, optional weekly schedule as JSON).
 * - `alarm_switches`: arm/disarm switches, `site` and `camera:<id>` (absent = armed).
 * - `layouts`: named live-view layouts per user (owner = the actor name); `layout_current` remembers the one
 *   each user had on screen, restored at start.
 */
export const ALARMS_MIGRATION_SQL = `
  CREATE TABLE alarms (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('rule', 'health')),
    camera_id        TEXT NOT NULL,
    rule_id          TEXT,
    condition        TEXT CHECK (condition IN ('offline', 'frozen', 'black', 'low-fps')),
    track_id         INTEGER,
    event_id         TEXT,
    type             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'on-hold', 'closed')),
    priority         INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    base_priority    INTEGER NOT NULL CHECK (base_priority BETWEEN 1 AND 5),
    snapshot         TEXT,
    trigger_count    INTEGER NOT NULL DEFAULT 1,
    escalations      INTEGER NOT NULL DEFAULT 0,
    opened_ms        INTEGER NOT NULL,
    opened_at        TEXT NOT NULL,
    last_trigger_ms  INTEGER NOT NULL,
    last_escalate_ms INTEGER,
    recovered_ms     INTEGER,
    recovered_at     TEXT,
    acknowledged_ms  INTEGER,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    closed_ms        INTEGER,
    closed_at        TEXT,
    closed_by        TEXT,
    outcome          TEXT CHECK (outcome IN ('true-alarm', 'false-alarm', 'test')),
    comment          TEXT,
    updated_ms       INTEGER NOT NULL,
    CHECK ((kind = 'rule') = (rule_id IS NOT NULL)),
    CHECK ((kind = 'health') = (condition IS NOT NULL)),
    CHECK ((status = 'closed') = (outcome IS NOT NULL AND closed_ms IS NOT NULL))
  ) STRICT;
  CREATE INDEX alarms_open ON alarms (status, camera_id, rule_id, track_id) WHERE status <> 'closed';
  CREATE INDEX alarms_opened ON alarms (opened_ms);
  CREATE INDEX alarms_rule ON alarms (camera_id, rule_id, status);

  CREATE TABLE alarm_history (
    id          INTEGER PRIMARY KEY,
    alarm_id    TEXT NOT NULL REFERENCES alarms (id),
    seq         INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('open', 'retrigger', 'escalate', 'acknowledge', 'hold', 'resume', 'close', 'recover')),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    priority    INTEGER NOT NULL,
    by_user     TEXT NOT NULL,
    at_ms       INTEGER NOT NULL,
    at          TEXT NOT NULL,
    outcome     TEXT,
    comment     TEXT,
    UNIQUE (alarm_id, seq)
  ) STRICT;
  CREATE INDEX alarm_history_time ON alarm_history (at_ms);
  CREATE TRIGGER alarm_history_no_update BEFORE UPDATE ON alarm_history BEGIN SELECT RAISE(ABORT, 'alarm_history rows are immutable'); END;
  CREATE TRIGGER alarm_history_no_delete BEFORE DELETE ON alarm_history BEGIN SELECT RAISE(ABORT, 'alarm_history rows are immutable'); END;

  CREATE TABLE alarm_arming (
    camera_id  TEXT NOT NULL,
    rule_id    TEXT NOT NULL,
    priority   INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    schedule   TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (camera_id, rule_id)
  ) STRICT;

  CREATE TABLE alarm_switches (
    scope      TEXT PRIMARY KEY,
    armed      INTEGER NOT NULL CHECK (armed IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  ) STRICT;

  CREATE TABLE layouts (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (owner, name)
  ) STRICT;
  CREATE TABLE layout_current (
    owner      TEXT PRIMARY KEY,
    layout_id  TEXT NOT NULL REFERENCES layouts (id) ON DELETE CASCADE,
    updated_at TEXT NOT NULL
  ) STRICT;
`;

/**
 * SQL of migration 9: site-level system alarms (no camera) in the same `alarms` table, so they walk the same
 * lifecycle, history, escalation and export as every other alarm.
 *
 * - `kind` gains 'system'; `camera_id` becomes nullable (NULL exactly for system alarms); `subject` names what a
 *   system alarm is about (`sink:<sink id>`, `outbox`; NULL for the other kinds) and is its de-dup key with
 *   `condition`; `condition` gains 'export-backlog' and 'outbox-near-cap' (health conditions stay camera-only);
 *   `detail` (JSON) holds the numbers a system alarm was last raised with.
 * - SQLite cannot change a column or a CHECK in place, so the table is rebuilt: the rows are copied aside, the
 *   old table dropped, the new one created under the same name and the rows put back. `alarm_history` references
 *   `alarms (id)`: with foreign keys deferred, the drop leaves its rows orphaned only until the same ids are back,
 *   and the commit checks that every history row has its alarm again (it fails, changing nothing, otherwise).
 */
export const ALARMS_SYSTEM_MIGRATION_SQL = `
  PRAGMA defer_foreign_keys = ON;
  CREATE TABLE alarms_v4_copy AS SELECT * FROM alarms;
  DROP TABLE alarms;
  CREATE TABLE alarms (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('rule', 'health', 'system')),
    camera_id        TEXT,
    subject          TEXT,
    rule_id          TEXT,
    condition        TEXT CHECK (condition IN ('offline', 'frozen', 'black', 'low-fps', 'export-backlog', 'outbox-near-cap')),
    track_id         INTEGER,
    event_id         TEXT,
    type             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'on-hold', 'closed')),
    priority         INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    base_priority    INTEGER NOT NULL CHECK (base_priority BETWEEN 1 AND 5),
    snapshot         TEXT,
    detail           TEXT CHECK (detail IS NULL OR json_valid(detail)),
    trigger_count    INTEGER NOT NULL DEFAULT 1,
    escalations      INTEGER NOT NULL DEFAULT 0,
    opened_ms        INTEGER NOT NULL,
    opened_at        TEXT NOT NULL,
    last_trigger_ms  INTEGER NOT NULL,
    last_escalate_ms INTEGER,
    recovered_ms     INTEGER,
    recovered_at     TEXT,
    acknowledged_ms  INTEGER,
    acknowledged_at  TEXT,
    acknowledged_by  TEXT,
    closed_ms        INTEGER,
    closed_at        TEXT,
    closed_by        TEXT,
    outcome          TEXT CHECK (outcome IN ('true-alarm', 'false-alarm', 'test')),
    comment          TEXT,
    updated_ms       INTEGER NOT NULL,
    CHECK ((kind = 'rule') = (rule_id IS NOT NULL)),
    CHECK ((kind = 'system') = (camera_id IS NULL)),
    CHECK ((kind = 'system') = (subject IS NOT NULL)),
    CHECK ((kind = 'system') = (detail IS NOT NULL)),
    CHECK ((kind = 'rule') = (condition IS NULL)),
    CHECK (kind <> 'health' OR condition IN ('offline', 'frozen', 'black', 'low-fps')),
    CHECK (kind <> 'system' OR condition IN ('export-backlog', 'outbox-near-cap')),
    CHECK ((status = 'closed') = (outcome IS NOT NULL AND closed_ms IS NOT NULL))
  ) STRICT;
  INSERT INTO alarms (id, kind, camera_id, subject, rule_id, condition, track_id, event_id, type, status, priority, base_priority, snapshot,
      detail, trigger_count, escalations, opened_ms, opened_at, last_trigger_ms, last_escalate_ms, recovered_ms, recovered_at,
      acknowledged_ms, acknowledged_at, acknowledged_by, closed_ms, closed_at, closed_by, outcome, comment, updated_ms)
    SELECT id, kind, camera_id, NULL, rule_id, condition, track_id, event_id, type, status, priority, base_priority, snapshot,
      NULL, trigger_count, escalations, opened_ms, opened_at, last_trigger_ms, last_escalate_ms, recovered_ms, recovered_at,
      acknowledged_ms, acknowledged_at, acknowledged_by, closed_ms, closed_at, closed_by, outcome, comment, updated_ms
    FROM alarms_v4_copy;
  DROP TABLE alarms_v4_copy;
  CREATE INDEX alarms_open ON alarms (status, camera_id, rule_id, track_id) WHERE status <> 'closed';
  CREATE INDEX alarms_opened ON alarms (opened_ms);
  CREATE INDEX alarms_rule ON alarms (camera_id, rule_id, status);
  CREATE INDEX alarms_subject_open ON alarms (subject, condition) WHERE status <> 'closed' AND subject IS NOT NULL;
`;

/**
 * SQL of migration 12: alarm flood control (README "Alarm flood control").
 *
 * - `alarms.rule_name`, `alarms.direction`: what a rule alarm is titled with ("Entry line · in"): the rule's name
 *   and the direction of its latest crossing, written when it opens and when a repeat folds into it.
 * - `alarm_arming.max_per_hour`: a rule's rate limit (alarms opened per hour at most; NULL = none).
 * - `alarm_shelves`: one row per shelving of a rule of a camera (who, why, until when, firings held back) and how it
 *   ended (`ended_by` a user, or `timer`). At most one active (not ended) row per camera + rule. Rows stay after
 *   they end: they are the shelving history.
 */
export const ALARMS_FLOOD_MIGRATION_SQL = `
  ALTER TABLE alarms ADD COLUMN rule_name TEXT;
  ALTER TABLE alarms ADD COLUMN direction TEXT CHECK (direction IS NULL OR direction IN ('in', 'out'));
  ALTER TABLE alarm_arming ADD COLUMN max_per_hour INTEGER CHECK (max_per_hour IS NULL OR max_per_hour BETWEEN 1 AND 600);
  CREATE TABLE alarm_shelves (
    id          INTEGER PRIMARY KEY,
    camera_id   TEXT NOT NULL,
    rule_id     TEXT NOT NULL,
    rule_name   TEXT,
    reason      TEXT NOT NULL,
    shelved_by  TEXT NOT NULL,
    shelved_ms  INTEGER NOT NULL,
    shelved_at  TEXT NOT NULL,
    until_ms    INTEGER NOT NULL,
    held_back   INTEGER NOT NULL DEFAULT 0,
    ended_ms    INTEGER,
    ended_at    TEXT,
    ended_by    TEXT,
    CHECK (until_ms > shelved_ms),
    CHECK ((ended_ms IS NULL) = (ended_by IS NULL))
  ) STRICT;
  CREATE UNIQUE INDEX alarm_shelves_active ON alarm_shelves (camera_id, rule_id) WHERE ended_ms IS NULL;
  CREATE INDEX alarm_shelves_ended ON alarm_shelves (ended_ms);
`;
