import type Database from 'better-sqlite3';
import { parseRulesFile } from '../../shared/domain/rules';
import type { RulesRepository, StoredRules } from '../services/rules.service';

/** Migration creating the rules table: one row per camera, the rule list as JSON ({"rules": [...]} body). */
export const RULES_MIGRATION_SQL = `CREATE TABLE IF NOT EXISTS rules (
  camera_id TEXT PRIMARY KEY,
  rules_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);`;

interface RulesRow {
  camera_id: string;
  rules_json: string;
  updated_at: string;
}

/** RulesRepository over better-sqlite3. The table must exist (RULES_MIGRATION_SQL, run by the migrator). */
export class SqliteRulesRepository implements RulesRepository {
  private readonly selectStmt: Database.Statement<[string], RulesRow>;
  private readonly upsertStmt: Database.Statement<[string, string, string]>;
  private readonly deleteStmt: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.selectStmt = db.prepare<[string], RulesRow>('SELECT camera_id, rules_json, updated_at FROM rules WHERE camera_id = ?');
    this.upsertStmt = db.prepare<[string, string, string]>(
      'INSERT INTO rules (camera_id, rules_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(camera_id) DO UPDATE SET rules_json = excluded.rules_json, updated_at = excluded.updated_at',
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM rules WHERE camera_id = ?');
  }

  get(cameraId: string): StoredRules | null {
    const row = this.selectStmt.get(cameraId);
    if (!row) return null;
    // Re-parse on the way out: defaults added by later schema versions are filled in.
    const file = parseRulesFile({ rules: JSON.parse(row.rules_json) as unknown });
    return { cameraId: row.camera_id, rules: file.rules, updatedAt: row.updated_at };
  }

  save(row: StoredRules): void {
    this.upsertStmt.run(row.cameraId, JSON.stringify(row.rules), row.updatedAt);
  }

  remove(cameraId: string): void {
    this.deleteStmt.run(cameraId);
  }
}
