/**
 * Versioned schema migrations. Append only: never edit a step that has shipped; add a new one. Each step runs
 * inside one transaction together with its row in `schema_migrations`.
 */
export interface Migration {
  /** Strictly increasing, starting at 1. */
  version: number;
  /** Short description, stored beside the version. */
  name: string;
  sql: string;
  /** A step SQL alone cannot express (run after `sql`, in the same transaction). */
  run?: (db: Db) => void;
}

import { LEDGER_MIGRATION_SQL } from './ledger-schema';
import { RULES_MIGRATION_SQL } from './rules.repository';
import { PRIVACY_MASKS_MIGRATION_SQL } from '../privacy/privacy-masks.repository';
import { RETENTION_MIGRATION_SQL } from '../retention/retention.schema';
import { REPORTS_MIGRATION_SQL } from '../reports/reports-schema';
import { ALARMS_FLOOD_MIGRATION_SQL, ALARMS_MIGRATION_SQL, ALARMS_SYSTEM_MIGRATION_SQL } from '../alarms/alarms-schema';
import { EXPORT_MIGRATION_SQL } from '../export/export-schema';
import { AUTH_FIRST_PASSWORD_MIGRATION_SQL, AUTH_MIGRATION_SQL } from '../auth/auth-schema';
import { AUDIT_SEAL_MIGRATION_SQL } from '../audit/audit-seal';
import { INTEGRATIONS_MIGRATION_SQL } from '../integrations/integrations-schema';
import { widenAlarmConditions } from '../integrations/alarm-conditions-migration';
import { RECORDING_MIGRATION_SQL, widenAlarmConditionsForRecording } from '../recording/recording-schema';
import { FACES_MIGRATION_SQL } from '../faces/watchlist-schema';
import type { Db } from './database';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'cameras and settings',
    sql: `
      CREATE TABLE cameras (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL COLLATE NOCASE UNIQUE,
        source         TEXT NOT NULL,
        rtsp_transport TEXT NOT NULL CHECK (rtsp_transport IN ('tcp', 'udp')),
        analysis_fps   REAL NOT NULL CHECK (analysis_fps > 0),
        enabled        INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        model_id       TEXT,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      ) STRICT;
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
  { version: 2, name: 'rules per camera', sql: RULES_MIGRATION_SQL },
  { version: 3, name: 'event ledger, amendments, occupancy resets, stored tracks', sql: LEDGER_MIGRATION_SQL },
  { version: 7, name: 'privacy masks and lifts; event retention horizon', sql: PRIVACY_MASKS_MIGRATION_SQL + RETENTION_MIGRATION_SQL },
  { version: 5, name: 'reports: 15-minute rollup, occurrence book, shift sign-offs, camera incidents, schedules', sql: REPORTS_MIGRATION_SQL },
  { version: 4, name: 'alarms, alarm history, arming, layouts', sql: ALARMS_MIGRATION_SQL },
  { version: 8, name: 'export outbox, sinks, dead letters', sql: EXPORT_MIGRATION_SQL },
  { version: 6, name: 'accounts and the hash-chained audit trail', sql: AUTH_MIGRATION_SQL },
  { version: 9, name: 'site-level system alarms (export backlog, outbox near its cap): nullable camera, subject, detail', sql: ALARMS_SYSTEM_MIGRATION_SQL },
  { version: 10, name: 'per-camera tiled detection (JSON, null = off)', sql: 'ALTER TABLE cameras ADD COLUMN detection_tiling TEXT;' },
  { version: 11, name: 'audit head sealed with a keyed MAC', sql: AUDIT_SEAL_MIGRATION_SQL },
  { version: 12, name: 'alarm flood control: rule name and direction on alarms, per-rule rate limits, shelving', sql: ALARMS_FLOOD_MIGRATION_SQL },
  { version: 13, name: 'integrations: API tokens, inbound alarm keys, external-alarm condition', sql: INTEGRATIONS_MIGRATION_SQL, run: widenAlarmConditions },
  { version: 14, name: 'recording: segment index, per-camera recording settings, recording-stopped system alarm', sql: RECORDING_MIGRATION_SQL, run: widenAlarmConditionsForRecording },
  { version: 18, name: 'face watchlist: sealed entries, photos, embeddings and match evidence; per-camera switch', sql: FACES_MIGRATION_SQL },
  {
    version: 19,
    name: 'per-camera motion-gated detection (JSON; null = the default: on, medium sensitivity); analysis-starved system alarms',
    sql: 'ALTER TABLE cameras ADD COLUMN motion_gating TEXT;',
    run: (db) => widenAlarmConditions(db, 'analysis-starved'),
  },
  { version: 20, name: 'accounts: must change the password an admin chose (new accounts, resets) at the next sign-in', sql: AUTH_FIRST_PASSWORD_MIGRATION_SQL },
  { version: 21, name: 'face-match system alarms (a watchlist match on a camera)', sql: '', run: (db) => widenAlarmConditions(db, 'face-match') },
];
