import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRulesFile } from '../../shared/domain/rules';
import { RULES_MIGRATION_SQL, SqliteRulesRepository } from './rules.repository';

describe('SqliteRulesRepository', () => {
  let db: Database.Database | null = null;
  afterEach(() => db?.close());

  it('saves, replaces, reads back and removes the rules of a camera', () => {
    db = new Database(':memory:');
    db.exec(RULES_MIGRATION_SQL);
    const repo = new SqliteRulesRepository(db);
    expect(repo.get('cam')).toBeNull();
    const { rules } = parseRulesFile({ rules: [{ id: 'door', type: 'line', points: [[0, 0.5], [1, 0.5]] }] });
    repo.save({ cameraId: 'cam', rules, updatedAt: '2026-01-01T00:00:00.000Z' });
    expect(repo.get('cam')).toEqual({ cameraId: 'cam', rules, updatedAt: '2026-01-01T00:00:00.000Z' });
    repo.save({ cameraId: 'cam', rules: [], updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(repo.get('cam')?.rules).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM rules').get()).toEqual({ n: 1 });
    repo.remove('cam');
    expect(repo.get('cam')).toBeNull();
  });
});
