import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifySealedAuditTrail } from '../engine/auth/audit-trail';
import { AuditSeal } from '../engine/audit/audit-seal';
import { DB_FILE } from '../engine/storage/database';

export const AUDIT_HELP = `Usage: npm run audit -- verify --data-dir <dir> [--json]
Checks the audit trail's hash chain in <dir>/watchroom.db (opened read-only) and its seal (the head's keyed MAC
with the key from <dir>/secret.key, and <dir>/audit-head.json), and prints "intact" or the id of the first row
where the trail breaks (edited, reordered, deleted or cut off at the end). Exit status: 0 intact, 1 broken, 2
usage or unreadable database.`;

/** The audit CLI without process globals: returns the exit status, writes through `out`/`err`. */
export function runAuditCli(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (e) {
    err(`${(e as Error).message}\n${AUDIT_HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(`${AUDIT_HELP}\n`);
    return 0;
  }
  if (positionals[0] !== 'verify' || positionals.length !== 1 || !values['data-dir']) {
    err(`${AUDIT_HELP}\n`);
    return 2;
  }
  const file = path.join(values['data-dir'], DB_FILE);
  if (!fs.existsSync(file)) {
    err(`No Watchroom database at ${file}.\n`);
    return 2;
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const hasTrail = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('audit_log', 'audit_head')").get() as { n: number };
    if (hasTrail.n !== 2) {
      err('This database has no audit trail (written by a Watchroom before accounts existed).\n');
      return 2;
    }
    const r = verifySealedAuditTrail(db, AuditSeal.forVerify(values['data-dir']));
    if (values.json) out(`${JSON.stringify(r)}\n`);
    else if (r.state === 'intact') out(`intact (${r.rows} rows)\n`);
    else out(`broken at row ${r.brokenId}: ${r.message}\n`);
    return r.state === 'intact' ? 0 : 1;
  } catch (e) {
    err(`Could not read ${file}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    db?.close();
  }
}
