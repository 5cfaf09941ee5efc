/**
 * Part of migration 7: the event ledger's retention horizon.
 *
 * `ledger_events` stays immutable (no UPDATE, ever). Its DELETE trigger is replaced by one that refuses every
 * delete except of a row that is (a) older than the recorded retention horizon and (b) never voided or
 * corrected, so void/correction records and the events they amend are kept for good. The horizon is an
 * append-only table whose rows cannot be changed or removed, and a horizon can never be less than a day old,
 * so a fresh event can never be removed through it.
 */
export const RETENTION_MIGRATION_SQL = `
  CREATE TABLE retention_horizons (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('events')),
    before_ms INTEGER NOT NULL,
    at_ms     INTEGER NOT NULL,
    by_user   TEXT NOT NULL,
    CHECK (before_ms <= at_ms - 86400000)
  ) STRICT;
  CREATE TRIGGER retention_horizons_no_update BEFORE UPDATE ON retention_horizons BEGIN SELECT RAISE(ABORT, 'retention_horizons rows are immutable'); END;
  CREATE TRIGGER retention_horizons_no_delete BEFORE DELETE ON retention_horizons BEGIN SELECT RAISE(ABORT, 'retention_horizons rows are immutable'); END;

  DROP TRIGGER ledger_events_no_delete;
  CREATE TRIGGER ledger_events_no_delete BEFORE DELETE ON ledger_events
    WHEN OLD.frame_ms >= COALESCE((SELECT MAX(before_ms) FROM retention_horizons WHERE kind = 'events'), 0)
      OR EXISTS (SELECT 1 FROM ledger_amendments a WHERE a.event_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'ledger_events rows are immutable (only unamended rows below the retention horizon may be removed)'); END;
`;
