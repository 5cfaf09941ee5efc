/**
 * Migration 18: the face watchlist. Names, enrolled photos, embeddings and match crops are sealed with the
 * SecretBox (`*_sealed` columns); nothing about a face that matched no one is ever written. Cameras look for
 * faces only with a row in face_cameras (off by default), written when an admin accepted the legal notice.
 */
export const FACES_MIGRATION_SQL = `
  CREATE TABLE face_watchlist (
    id              TEXT PRIMARY KEY,
    name_sealed     TEXT NOT NULL,
    category        TEXT NOT NULL CHECK (category IN ('banned', 'vip', 'missing-person', 'other')),
    expires_at      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('active', 'removed')),
    enrolled_by     TEXT NOT NULL,
    approved_by     TEXT,
    created_at      TEXT NOT NULL,
    confirmed_count INTEGER NOT NULL DEFAULT 0,
    rejected_count  INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE TABLE face_watchlist_photos (
    id               TEXT PRIMARY KEY,
    entry_id         TEXT NOT NULL REFERENCES face_watchlist(id) ON DELETE CASCADE,
    photo_sealed     TEXT NOT NULL,
    embedding_sealed TEXT NOT NULL,
    created_at       TEXT NOT NULL
  ) STRICT;
  CREATE INDEX face_watchlist_photos_entry ON face_watchlist_photos(entry_id);
  CREATE TABLE face_matches (
    id           TEXT PRIMARY KEY,
    entry_id     TEXT NOT NULL REFERENCES face_watchlist(id) ON DELETE CASCADE,
    camera_id    TEXT NOT NULL,
    track_id     INTEGER,
    similarity   REAL NOT NULL,
    crop_sealed  TEXT NOT NULL,
    alarm_id     TEXT,
    outcome      TEXT CHECK (outcome IN ('confirmed', 'rejected')),
    decided_by   TEXT,
    at           TEXT NOT NULL
  ) STRICT;
  CREATE INDEX face_matches_at ON face_matches(at);
  CREATE TABLE face_category_thresholds (
    category   TEXT PRIMARY KEY,
    threshold  REAL NOT NULL CHECK (threshold > 0 AND threshold < 1),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE face_cameras (
    camera_id          TEXT PRIMARY KEY,
    enabled_by         TEXT NOT NULL,
    notice_accepted_at TEXT NOT NULL
  ) STRICT;
`;
