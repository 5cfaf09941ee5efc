import crypto from 'node:crypto';
import type { Actor } from '../../shared/domain/user';
import { SYSTEM_ACTOR_NAME } from '../../shared/domain/user';
import type { AuditRowView, AuditVerify } from '../../shared/ipc/audit.contract';
import { redactValue } from '../logging/redact';
import type { Db } from '../storage/database';
import { AUDIT_ANCHOR_FILE as AUDIT_ANCHOR_NAME, UNSEALED_BEFORE_SEALING, type AuditHeadRef, type AuditSeal } from '../audit/audit-seal';

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
  private anchorSoon: NodeJS.Immediate | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    /** Seals the head with a keyed MAC and anchors it outside the database (app/engine/audit/audit-seal.ts). */
    private readonly seal: AuditSeal | null = null,
  ) {}

  /**
   * Once at start, with a seal: anchors an empty trail at row 0, seals a trail written before sealing existed (its
   * head marked by migration 11; an `audit.head-sealed` row shows that moment in the trail) and brings a lagging
   * anchor forward. Never repairs a broken seal: that stays for verify to report.
   */
  prepareSeal(): void {
    const seal = this.seal;
    if (!seal) return;
    const head = this.headRow();
    const anchor = seal.readAnchor();
    if (!head) {
      if (anchor.state === 'absent') seal.advanceAnchor({ id: 0, hash: GENESIS_HASH }, { create: true });
      return;
    }
    if (head.mac === UNSEALED_BEFORE_SEALING) {
      if (anchor.state === 'absent') this.record({ action: 'audit.head-sealed', detail: { unsealedRows: head.last_id } }, { createAnchor: true });
      return;
    }
    const ref = { id: head.last_id, hash: head.last_hash };
    if (seal.matches(ref, head.mac)) seal.advanceAnchor(ref, { holds: this.holds });
  }

  /** Whether the trail still holds an anchored row (same id, same hash). */
  private readonly holds = (anchored: AuditHeadRef): boolean =>
    anchored.id === 0 || (this.db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(anchored.id) as { hash: string } | undefined)?.hash === anchored.hash;

  /** The newest row's id and hash (carried in export batches and report footers), or null for an empty trail. */
  head(): AuditHeadRef | null {
    const h = this.headRow();
    return h ? { id: h.last_id, hash: h.last_hash } : null;
  }

  /** Writes a pending anchor now (the engine calls it before closing the database). */
  flush(): void {
    if (!this.anchorSoon) return;
    clearImmediate(this.anchorSoon);
    this.anchorSoon = null;
    this.anchorCommittedHead();
  }

  private headRow(): { last_id: number; last_hash: string; mac: string | null } | undefined {
    return this.db.prepare(`SELECT last_id, last_hash, ${this.seal ? 'mac' : 'NULL AS mac'} FROM audit_head WHERE singleton = 1`).get() as
      | { last_id: number; last_hash: string; mac: string | null }
      | undefined;
  }

  /** Moves the anchor file to the committed head when that head carries a valid seal. */
  private anchorCommittedHead(opts: { create?: boolean } = {}): void {
    const seal = this.seal;
    const h = this.headRow();
    if (!seal || !h) return;
    const ref = { id: h.last_id, hash: h.last_hash };
    if (seal.matches(ref, h.mac)) seal.advanceAnchor(ref, { ...opts, holds: this.holds });
  }

  record(entry: AuditEntry, opts: { createAnchor?: boolean } = {}): AuditRowView {
    const view = this.db.transaction(() => {
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
      if (this.seal) {
        const mac = this.seal.mac({ id: row.id, hash });
        this.db.prepare('INSERT INTO audit_head (singleton, last_id, last_hash, mac) VALUES (1, ?, ?, ?) ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash, mac = excluded.mac').run(row.id, hash, mac);
      } else {
        this.db.prepare('INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (1, ?, ?) ON CONFLICT(singleton) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash').run(row.id, hash);
      }
      return toView({ ...row, hash });
    })();
    if (this.seal) {
      // The anchor follows the committed head only: inside a caller's transaction (which may still roll back)
      // it is written once that transaction is over.
      if (!this.db.inTransaction) this.writeAnchor(opts);
      else this.anchorSoon ??= setImmediate(() => {
        this.anchorSoon = null;
        this.writeAnchor();
      });
    }
    return view;
  }

  private writeAnchor(opts: { createAnchor?: boolean } = {}): void {
    try {
      this.anchorCommittedHead({ create: opts.createAnchor });
    } catch {
      // A full disk or a read-only folder: the next row tries again, and verify says the anchor lags at worst.
    }
  }

  /** Newest first. */
  list(q: { before?: number; limit: number; action?: string }): AuditRowView[] {
    const rows = this.db
      .prepare(`SELECT * FROM audit_log WHERE (@before IS NULL OR id < @before) AND (@action IS NULL OR substr(action, 1, length(@action)) = @action) ORDER BY id DESC LIMIT @limit`)
      .all({ before: q.before ?? null, action: q.action ?? null, limit: q.limit }) as AuditDbRow[];
    return rows.map(toView);
  }

  verify(): AuditVerify {
    this.flush();
    return this.seal ? verifySealedAuditTrail(this.db, this.seal) : verifyAuditChain(this.db);
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

/**
 * The chain (verifyAuditChain), then the seal: the anchor file must be a head Watchroom sealed, the trail must
 * still reach it with the same hash, and the recorded head must carry a valid MAC. `seal` null: the key file is
 * missing, so a non-empty trail cannot be checked for cut-off rows (reported as broken).
 */
export function verifySealedAuditTrail(db: Db, seal: AuditSeal | null): AuditVerify {
  const chain = verifyAuditChain(db);
  if (chain.state === 'broken') return chain;
  const rows = chain.rows;
  const broken = (brokenId: number, reason: 'missing' | 'seal', message: string): AuditVerify => ({ state: 'broken', rows, brokenId, reason, message });
  const lastId = chain.headId ?? 0;
  if (!seal) {
    return rows === 0 ? chain : broken(lastId, 'seal', 'The key that seals the audit trail (secret.key in the data directory) is missing, so cut-off rows cannot be ruled out. Restore secret.key from the backup of the data directory.');
  }
  const anchor = seal.readAnchor();
  if (anchor.state === 'invalid') return broken(lastId, 'seal', `${AUDIT_ANCHOR_NAME} was changed outside Watchroom: cut-off rows cannot be ruled out.`);
  if (anchor.state === 'ok' && anchor.head.id > lastId) {
    const from = lastId + 1;
    const to = anchor.head.id;
    return broken(from, 'missing', `${from === to ? `Audit row ${from} is` : `Audit rows ${from} to ${to} are`} missing: Watchroom had written up to row ${to}, the trail now ends at row ${lastId} (cut off).`);
  }
  const cols = db.prepare("SELECT name FROM pragma_table_info('audit_head')").all() as { name: string }[];
  const head = cols.some((c) => c.name === 'mac') ? (db.prepare('SELECT last_id, last_hash, mac FROM audit_head WHERE singleton = 1').get() as { last_id: number; last_hash: string; mac: string | null } | undefined) : undefined;
  if (rows > 0 && (!head || !seal.matches({ id: head.last_id, hash: head.last_hash }, head.mac))) {
    return broken(lastId, 'seal', `The recorded end of the audit trail (row ${lastId}) was not sealed by Watchroom: newer rows may have been cut off.`);
  }
  if (anchor.state === 'absent') {
    return rows === 0 ? chain : broken(lastId, 'seal', `${AUDIT_ANCHOR_NAME} is missing from the data directory: cut-off rows cannot be ruled out.`);
  }
  if (anchor.head.id > 0) {
    const at = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(anchor.head.id) as { hash: string } | undefined;
    if (at?.hash !== anchor.head.hash) return broken(anchor.head.id, 'seal', `Audit row ${anchor.head.id} is not the row Watchroom sealed (the trail was replaced from there on).`);
  }
  return chain;
}
