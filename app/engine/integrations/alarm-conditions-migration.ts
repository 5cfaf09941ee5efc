import type { Db } from '../storage/database';

/**
 * Migration 13, second step: the alarms table's CHECKs learn the `external-alarm` system condition (alarms raised
 * by other systems). SQLite cannot change a CHECK in place, so the table is rebuilt the way migration 9 did it
 * (rows copied aside, table dropped and created again, rows put back, indexes re-created), but from the table's
 * CURRENT definition with only the condition lists widened: columns other migrations added are kept as they are.
 * Fails, changing nothing, when the condition lists are not found (a definition this step does not know).
 */
/** Each condition a later migration added, and the one it follows in the alarms table's CHECK lists. */
const ADDED_AFTER = { 'external-alarm': 'outbox-near-cap', 'recording-stopped': 'external-alarm', 'analysis-starved': 'recording-stopped', 'face-match': 'analysis-starved' } as const;

export function widenAlarmConditions(db: Db, condition: keyof typeof ADDED_AFTER = 'external-alarm'): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'alarms'").get() as { sql: string } | undefined;
  if (!table) throw new Error(`widening alarm conditions (${condition}): the alarms table is missing`);
  if (table.sql.includes(`'${condition}'`)) return;
  // migration 13 adds external-alarm, 14 recording-stopped, 19 analysis-starved, 21 face-match: each at the end of the lists
  const after = `'${ADDED_AFTER[condition]}')`;
  const widened = table.sql.replaceAll(after, `${after.slice(0, -1)}, '${condition}')`);
  if (widened === table.sql) throw new Error(`widening alarm conditions (${condition}): the alarms table's condition CHECKs were not found`);
  const extras = db.prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'alarms' AND type IN ('index', 'trigger') AND sql IS NOT NULL").all() as { sql: string }[];
  db.exec(`PRAGMA defer_foreign_keys = ON;
    CREATE TABLE alarms_widen_copy AS SELECT * FROM alarms;
    DROP TABLE alarms;`);
  db.exec(widened);
  db.exec('INSERT INTO alarms SELECT * FROM alarms_widen_copy; DROP TABLE alarms_widen_copy;');
  for (const x of extras) db.exec(x.sql);
}
