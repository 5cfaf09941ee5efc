/**
 * SQL of migration 13 (integrations). Shipped schema: append-only like migrations.ts.
 *
 * - `api_tokens`: one row per API token. `id` is the public part of the token (`wr_<id>.<secret>`), `secret_hash`
 *   the SHA-256 of the secret part (256 random bits, so a plain hash suffices; the token itself is never stored).
 *   Tokens are revoked, never deleted, so audit rows keep naming a token that exists.
 * - `inbound_alarm_keys`: the de-dup key of alarms raised by other systems (source + the source's event id) and
 *   the alarm it raised. The key outlives the alarm's closing: the same event sent again days later raises nothing.
 *
 * The alarms table's CHECKs learn the `external-alarm` condition in a separate step (inbound-alarm-migration.ts).
 */
export const INTEGRATIONS_MIGRATION_SQL = `
  CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'officer', 'viewer')),
    secret_hash TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    expires_ms  INTEGER,
    revoked_ms  INTEGER,
    revoked_by  TEXT,
    last_used_ms INTEGER
  ) STRICT;
  CREATE TRIGGER api_tokens_no_delete BEFORE DELETE ON api_tokens BEGIN SELECT RAISE(ABORT, 'API tokens are revoked, never deleted'); END;

  CREATE TABLE inbound_alarm_keys (
    source     TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    alarm_id   TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (source, event_id)
  ) STRICT;
`;
