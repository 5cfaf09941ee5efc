import crypto from 'node:crypto';
import type { Actor } from '../../shared/domain/user';
import { SYSTEM_ACTOR_NAME } from '../../shared/domain/user';
import type { AuditRowView, AuditVerify } from '../../shared/ipc/audit.contract';
import { redactValue } from '../logging/redact';
import type { Db } from '../storage/database';

/** One entry to append. */
export interface AuditEntry {
  /** Who acted; absent = the engine itself ("system"). */
  actor?: Actor;
  /** What happened: an invoke channel (`cameras:add`) or a domain event (`auth.login-failed`, `mask.lift-ended`). */
  action: string;
  /** What it was done to (an id or a name). */
  target?: string | null;
  /** Details; redacted (secret-named fields dropped, URL passwords masked) and capped at 4 KB before storing. */
  detail?: unknown;
}

interface AuditDbRow {
  id: number;
  at: string;
  actor: string;
  role: string | null;
  action: string;
  target: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
const MAX_DETAIL = 4096;

/** SHA-256 over a row's stored fields, its id and the previous row's hash. */
export function auditRowHash(r: Omit<AuditDbRow, 'hash'>): string {
  return crypto.createHash('sha256').update(JSON.stringify([r.id, r.at, r.actor, r.role, r.action, r.target, r.detail, r.prev_hash])).digest('hex');
}

function detailText(detail: unknown): string {
  if (detail === undefined) return '{}';
  const text = JSON.stringify(redactValue(detail)) ?? '{}';
  return text.length <= MAX_DETAIL ? text : JSON.stringify({ truncated: text.slice(0, MAX_DETAIL) });
}

/**
 * The tamper-evident audit trail: append-only rows in `audit_log`, each carrying the previous row's hash.
 *
 * API for services: `record({ actor, action, target, detail })` appends one row synchronously (inside one
 * SQLite transaction with the head). The dispatcher already records every successful state-changing invoke
 * call (see app/shared/auth/permissions.ts); call `record` yourself only for changes nobody invoked (a timed
 * mask lift ending, a retention run) or for auth events. Never put secrets in `detail` (they are redacted by
 * key name as a safety net, not as a policy).
 */
export class AuditTrail {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(entry: AuditEntry): AuditRowView {
    return this.db.transaction(() => {
      const head = this.db.prepare('SELECT last_id, last_hash FROM audit_head WHERE singleton = 1').get() as { last_id: number; last_hash: string } | undefined;
      const row: Omit<AuditDbRow, 'hash'> = {
        id: (head?.last_id ?? 0) + 1,
        at: this.now().toISOString(),
        actor: entry.actor?.name ?? SYSTEM_ACTOR_NAME,
        role: entry.actor?.role ?? null,
        action: entry.action.slice(0, 64),
        target: entry.target == null ? null : String(entry.target).slice(0, 200),
        detail: detailText(entry.detail),
        prev_hash: head?.last_hash ?? GENESIS_HASH,
      };
      const hash = auditRowHash(row);
      this.db.prepare('INSERT INTO audit_log (id, at, actor, role, action, target, detail, prev_hash, hash) VALUES (@id, @at, @actor, @role, @action, @target, @detail, @prev_hash, @hash)').run({ ...row, hash });
      this.db.prepare('INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?) ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash').run(row.id, hash);
      return toView({ ...row, hash });
    })();
  }

  /** Newest first. */
  list(q: { before?: number; limit: number; action?: string }): AuditRowView[] {
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE (@before IS NULL OR id < @before) AND (@action IS NULL OR substr(action, 1, length(@action)) = @action) ORDER BY id DESC LIMIT @limit`)
      .all({ before: q.before ?? null, action: q.action ?? null, limit: q.limit }) as AuditDbRow[];
    return rows.map(toView);
  }

  verify(): AuditVerify {
    return verifyAuditChain(this.db);
  }
}

function toView(r: AuditDbRow): AuditRowView {
  let detail: unknown;
  try {
    detail = JSON.parse(r.detail);
  } catch {
    detail = r.detail;
  }
  return { id: r.id, at: r.at, actor: r.actor, role: r.role, action: r.action, target: r.target, detail, prevHash: r.prev_hash, hash: r.hash };
}

/**
 * Walks the chain in id order and reports the first row where it breaks: a row whose content no longer matches
 * its hash (edited), whose prevHash is not the previous row's hash (reordered or inserted), a missing id
 * (deleted), or rows missing or added after the recorded head.
 */
export function verifyAuditChain(db: Db): AuditVerify {
  let expectedId = 1;
  let prev = GENESIS_HASH;
  let rows = 0;
  const broken = (brokenId: number, reason: 'hash' | 'link' | 'missing' | 'head', message: string): AuditVerify => ({ state: 'broken', rows, brokenId, reason, message });
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditDbRow>) {
    rows++;
    if (r.id !== expectedId) return broken(expectedId, 'missing', `Audit row ${expectedId} is missing (deleted).`);
    if (r.prev_hash !== prev) return broken(r.id, 'link', `Audit row ${r.id} does not follow row ${r.id - 1} (reordered or replaced).`);
    if (auditRowHash(r) !== r.hash) return broken(r.id, 'hash', `Audit row ${r.id} was altered after it was written.`);
    prev = r.hash;
    expectedId++;
  }
  const lastId = expectedId - 1;
  const head = db.prepare('SELECT last_id, last_hash FROM audit_head WHERE singleton = 1').get() as { last_id: number; last_hash: string } | undefined;
  if (!head) return lastId === 0 ? { state: 'intact', rows, headId: null } : broken(1, 'head', 'The audit trail has rows but no recorded head.');
  if (head.last_id > lastId) return broken(lastId + 1, 'missing', `Audit row ${lastId + 1} is missing (deleted; the trail ends at ${head.last_id}).`);
  if (head.last_id < lastId) return broken(head.last_id + 1, 'head', `Audit row ${head.last_id + 1} was added outside Watchroom.`);
  if (head.last_hash !== prev) return broken(lastId, 'head', `Audit row ${lastId} does not match the recorded head.`);
  return { state: 'intact', rows, headId: head.last_id };
}
