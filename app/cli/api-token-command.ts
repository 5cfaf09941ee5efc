import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RoleSchema } from '../shared/domain/user';
import { IntegrationNameSchema } from '../shared/ipc/integrations.contract';
import { AuditSeal } from '../engine/audit/audit-seal';
import { AuditTrail } from '../engine/auth/audit-trail';
import { ApiTokensRepository } from '../engine/integrations/api-tokens.repository';
import { nullLogger } from '../engine/logging/logger';
import { DB_FILE, openDatabase } from '../engine/storage/database';

export const API_TOKEN_HELP = `Usage:
  npm run api-token -- create --data-dir <dir> --name <integration> --role <viewer|officer|supervisor|admin> [--days N]
  npm run api-token -- list --data-dir <dir>
  npm run api-token -- revoke --data-dir <dir> --id <token id>
create prints the new token once (only its hash is stored); list shows the tokens (never the tokens themselves);
revoke refuses the token from its next request on. Every create and revoke is written to the audit trail.
Exit status: 0 done, 1 refused (unknown id, already revoked), 2 usage or unreadable data directory.`;

/** The API-token CLI without process globals: returns the exit status, writes through `out`/`err`. */
export function runApiTokenCli(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, days: { type: 'string' }, id: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (e) {
    err(`${(e as Error).message}\n${API_TOKEN_HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(`${API_TOKEN_HELP}\n`);
    return 0;
  }
  const command = positionals[0];
  const dataDir = values['data-dir'];
  if (positionals.length !== 1 || !['create', 'list', 'revoke'].includes(command ?? '') || !dataDir) {
    err(`${API_TOKEN_HELP}\n`);
    return 2;
  }
  const usage = (why: string) => (err(`${why}\n${API_TOKEN_HELP}\n`), 2);
  let name: string | undefined;
  let role: ReturnType<typeof RoleSchema.parse> | undefined;
  let days: number | undefined;
  if (command === 'create') {
    const n = IntegrationNameSchema.safeParse(values.name ?? '');
    if (!n.success) return usage(`--name: ${n.error.issues[0]!.message}`);
    const r = RoleSchema.safeParse(values.role);
    if (!r.success) return usage('--role must be viewer, officer, supervisor or admin.');
    if (values.days !== undefined && !/^\d{1,4}$/.test(values.days)) return usage('--days must be a whole number of days (1..3650).');
    days = values.days === undefined ? undefined : Number(values.days);
    if (days !== undefined && (days < 1 || days > 3650)) return usage('--days must be 1..3650.');
    name = n.data;
    role = r.data;
  }
  if (command === 'revoke' && !values.id) return usage('revoke needs --id.');
  if (!fs.existsSync(path.join(dataDir, DB_FILE))) {
    err(`No Watchroom database at ${path.join(dataDir, DB_FILE)}: start Watchroom once with this data directory first.\n`);
    return 2;
  }
  let db;
  try {
    db = openDatabase({ dataDir, logger: nullLogger });
  } catch (e) {
    err(`Could not open ${dataDir}: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const tokens = new ApiTokensRepository(db);
    const audit = new AuditTrail(db, undefined, AuditSeal.open(dataDir));
    audit.prepareSeal();
    const by = `cli:${os.userInfo().username}`;
    if (command === 'list') {
      const rows = tokens.list();
      if (!rows.length) out('No API tokens.\n');
      for (const t of rows) {
        const state = t.revokedMs !== null ? `revoked ${new Date(t.revokedMs).toISOString()}` : t.expiresMs !== null ? `expires ${new Date(t.expiresMs).toISOString()}` : 'no expiry';
        out(`${t.id}  ${t.name}  ${t.role}  ${state}\n`);
      }
      return 0;
    }
    if (command === 'revoke') {
      try {
        const t = tokens.revoke(values.id!, by);
        audit.record({ action: 'integrations:token-revoke', target: t.id, detail: { name: t.name, via: by } });
        out(`Revoked ${t.id} (${t.name}).\n`);
        return 0;
      } catch (e) {
        err(`${(e as Error).message}\n`);
        return 1;
      }
    }
    const created = tokens.create(name!, role!, days, by);
    audit.record({ action: 'integrations:token-create', target: created.token.id, detail: { name: created.token.name, role: created.token.role, days: days ?? null, via: by } });
    const expiry = created.token.expiresMs === null ? 'no expiry' : `expires ${new Date(created.token.expiresMs).toISOString()}`;
    out(`API token for "${created.token.name}" (role ${created.token.role}, ${expiry}):\n${created.secret}\nKeep it now: it is not shown again. Send it as "Authorization: Bearer <token>".\n`);
    return 0;
  } finally {
    db.close();
  }
}
