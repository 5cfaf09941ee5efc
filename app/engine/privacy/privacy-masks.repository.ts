import type Database from 'better-sqlite3';
import { MaskListSchema, type PrivacyMask } from '../../shared/domain/privacy-mask';

/**
 * Part of migration 7. `privacy_masks`: one row per camera, the mask list as JSON (like rules).
 * `privacy_mask_lifts`: one row per lift; a lift ends once (`ended_*` set once, by the timer, a supervisor or,
 * for a lift that expired while the engine was stopped, at the next start). Rows are never deleted.
 */
export const PRIVACY_MASKS_MIGRATION_SQL = `
  CREATE TABLE privacy_masks (
    camera_id  TEXT PRIMARY KEY,
    masks_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE TABLE privacy_mask_lifts (
    id          TEXT PRIMARY KEY,
    camera_id   TEXT NOT NULL,
    mask_id     TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at_ms       INTEGER NOT NULL,
    until_ms    INTEGER NOT NULL CHECK (until_ms > at_ms),
    ended_at_ms INTEGER,
    ended_by    TEXT,
    ended_how   TEXT CHECK (ended_how IN ('expired', 'restored', 'expired-while-stopped', 'mask-removed'))
  ) STRICT;
  CREATE INDEX privacy_mask_lifts_open ON privacy_mask_lifts (camera_id, mask_id) WHERE ended_at_ms IS NULL;
  CREATE TRIGGER privacy_mask_lifts_no_delete BEFORE DELETE ON privacy_mask_lifts BEGIN SELECT RAISE(ABORT, 'privacy_mask_lifts rows are kept'); END;
  CREATE TRIGGER privacy_mask_lifts_end_once BEFORE UPDATE ON privacy_mask_lifts
    WHEN OLD.ended_at_ms IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.camera_id IS NOT OLD.camera_id OR NEW.mask_id IS NOT OLD.mask_id
      OR NEW.by_user IS NOT OLD.by_user OR NEW.reason IS NOT OLD.reason OR NEW.at_ms IS NOT OLD.at_ms OR NEW.until_ms IS NOT OLD.until_ms
    BEGIN SELECT RAISE(ABORT, 'a lift only ends, once'); END;
`;

/** One lift as stored. */
export interface LiftRow {
  id: string;
  cameraId: string;
  maskId: string;
  byUser: string;
  reason: string;
  atMs: number;
  untilMs: number;
}

export type LiftEnd = 'expired' | 'restored' | 'expired-while-stopped' | 'mask-removed';

interface MasksRow {
  camera_id: string;
  masks_json: string;
  updated_at: string;
}
interface DbLift {
  id: string;
  camera_id: string;
  mask_id: string;
  by_user: string;
  reason: string;
  at_ms: number;
  until_ms: number;
}

const toLift = (r: DbLift): LiftRow => ({ id: r.id, cameraId: r.camera_id, maskId: r.mask_id, byUser: r.by_user, reason: r.reason, atMs: r.at_ms, untilMs: r.until_ms });

/** Masks and lifts in SQLite (parameterised statements only). */
export class PrivacyMasksRepository {
  private readonly selectMasks: Database.Statement<[string], MasksRow>;
  private readonly upsertMasks: Database.Statement<[string, string, string]>;
  private readonly deleteMasks: Database.Statement<[string]>;
  private readonly insertLift: Database.Statement<[string, string, string, string, string, number, number]>;
  private readonly openLifts: Database.Statement<[], DbLift>;
  private readonly endLift: Database.Statement<[number, string, string, string]>;

  constructor(db: Database.Database) {
    this.selectMasks = db.prepare('SELECT camera_id, masks_json, updated_at FROM privacy_masks WHERE camera_id = ?');
    this.upsertMasks = db.prepare(
      'INSERT INTO privacy_masks (camera_id, masks_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(camera_id) DO UPDATE SET masks_json = excluded.masks_json, updated_at = excluded.updated_at',
    );
    this.deleteMasks = db.prepare('DELETE FROM privacy_masks WHERE camera_id = ?');
    this.insertLift = db.prepare('INSERT INTO privacy_mask_lifts (id, camera_id, mask_id, by_user, reason, at_ms, until_ms) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.openLifts = db.prepare('SELECT id, camera_id, mask_id, by_user, reason, at_ms, until_ms FROM privacy_mask_lifts WHERE ended_at_ms IS NULL ORDER BY at_ms');
    this.endLift = db.prepare('UPDATE privacy_mask_lifts SET ended_at_ms = ?, ended_by = ?, ended_how = ? WHERE id = ? AND ended_at_ms IS NULL');
  }

  masks(cameraId: string): { masks: PrivacyMask[]; updatedAt: string } | null {
    const row = this.selectMasks.get(cameraId);
    if (!row) return null;
    // Re-parse on the way out: defaults added by later schema versions are filled in.
    return { masks: MaskListSchema.parse(JSON.parse(row.masks_json)), updatedAt: row.updated_at };
  }

  saveMasks(cameraId: string, masks: PrivacyMask[], updatedAt: string): void {
    this.upsertMasks.run(cameraId, JSON.stringify(masks), updatedAt);
  }

  removeMasks(cameraId: string): void {
    this.deleteMasks.run(cameraId);
  }

  addLift(l: LiftRow): void {
    this.insertLift.run(l.id, l.cameraId, l.maskId, l.byUser, l.reason, l.atMs, l.untilMs);
  }

  /** Every lift not ended yet (including expired ones the engine has not ended). */
  open(): LiftRow[] {
    return this.openLifts.all().map(toLift);
  }

  /** Ends a lift; false when it had already ended. */
  end(id: string, atMs: number, by: string, how: LiftEnd): boolean {
    return this.endLift.run(atMs, by, how, id).changes > 0;
  }
}
