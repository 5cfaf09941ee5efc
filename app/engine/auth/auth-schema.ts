/**
 * SQL of migration 6 (accounts and the audit trail). Shipped schema: append-only like migrations.ts — never edit
 * this text once released; add a new migration instead.
 *
 * - `users`: local accounts; `password_hash` is `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>` (parameters recorded
 *   per row, so they can be raised later without breaking old hashes). Accounts are disabled, never deleted,
 *   so audit rows keep naming a real account.
 * - `audit_log`: append-only (triggers refuse UPDATE and DELETE; retention never touches it), each row carrying
 *   the previous row's hash. `audit_head` records the last id and hash, so deleting the newest rows shows too.
 */
export const AUTH_MIGRATION_SQL = `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL COLLATE NOCASE UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'officer', 'viewer')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    last_login_at TEXT
  ) STRICT;
  CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT,
    action    TEXT NOT NULL,
    target    TEXT,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_log_action ON audit_log (action, id);
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
  CREATE TABLE audit_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT NOT NULL
  ) STRICT;
`;

/**
 * SQL of migration 20 (first password). `must_change_password` = 1: the account signs in with a password an admin
 * chose (a new account, or a reset), and its session may do nothing but change it (AuthService.authorize).
 * Accounts that existed before keep 0: nobody is sent to change a password they already chose.
 */
export const AUTH_FIRST_PASSWORD_MIGRATION_SQL = `
  ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
`;
