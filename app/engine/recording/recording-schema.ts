import { widenAlarmConditions } from '../integrations/alarm-conditions-migration';
import type { Db } from '../storage/database';

/**
 * Migration 14: the recording index and per-camera recording settings.
 *  - `recording_segments`: one row per segment file; `path` is relative to `<dataDir>/recordings`;
 *    `event` = 1 when the segment overlaps an event's pre-roll..post-roll window (kept, possibly longer);
 *    status 'recording' while ffmpeg writes it, 'ok' once complete, 'missing' when its file is gone.
 *  - `recording_settings`: the camera's CameraRecording as JSON (no row: the defaults); removed with the camera.
 */
export const RECORDING_MIGRATION_SQL = `
  CREATE TABLE recording_segments (
    id         INTEGER PRIMARY KEY,
    camera_id  TEXT NOT NULL,
    start_ms   INTEGER NOT NULL,
    end_ms     INTEGER NOT NULL CHECK (end_ms >= start_ms),
    bytes      INTEGER NOT NULL CHECK (bytes >= 0),
    path       TEXT NOT NULL UNIQUE,
    codec      TEXT,
    status     TEXT NOT NULL CHECK (status IN ('recording', 'ok', 'missing')),
    event      INTEGER NOT NULL DEFAULT 0 CHECK (event IN (0, 1))
  ) STRICT;
  CREATE INDEX recording_segments_camera_start ON recording_segments (camera_id, start_ms);
  CREATE INDEX recording_segments_start ON recording_segments (start_ms);
  CREATE TABLE recording_settings (
    camera_id  TEXT PRIMARY KEY REFERENCES cameras (id) ON DELETE CASCADE,
    settings   TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
`;

/**
 * Migration 14, second step: the alarms table's CHECKs learn the `recording-stopped` system condition (recording
 * stopped for lack of disk space). Rebuilt from the table's current definition like migration 13 did.
 */
export function widenAlarmConditionsForRecording(db: Db): void {
  widenAlarmConditions(db, 'recording-stopped');
}
