import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadOrCreateKey, readExistingKey } from '../storage/key-file-secret-box';
import type { Db } from '../storage/database';
import { PRIVATE_FILE_MODE } from '../storage/private-files';

/** The audit trail's newest row: its id and hash (id 0 and 64 zeros for an empty trail). */
export interface AuditHeadRef {
  id: number;
  hash: string;
}

/** A head with its keyed MAC. */
export interface SealedHead extends AuditHeadRef {
  mac: string;
}

/** What the anchor file holds: the newest head Watchroom sealed, or why it cannot be used. */
export type AnchorRead = { state: 'absent' } | { state: 'invalid' } | { state: 'ok'; head: SealedHead };

/** Name of the anchor file in the data directory, beside watchroom.db. */
export const AUDIT_ANCHOR_FILE = 'audit-head.json';
const HKDF_INFO = 'watchroom audit head v1';

/** The MAC key: HKDF-SHA256 of the data directory's `secret.key` (never stored anywhere itself). */
export function auditMacKey(secretKey: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secretKey, Buffer.alloc(0), HKDF_INFO, 32));
}

/**
 * Anchors the audit trail's head outside the database file, so cutting off its newest rows shows even when
 * whoever did it also dropped the delete trigger and pointed `audit_head` at the new last row:
 *
 * - `audit_head.mac` (migration 11): HMAC-SHA256 of the head's id and hash with a key derived from `secret.key`.
 *   Someone who can write watchroom.db but not read secret.key cannot seal a different head.
 * - `<dataDir>/audit-head.json`: the newest sealed head, written after each audit row commits. It only ever moves
 *   forward: an older copy of watchroom.db put back in place (its own head sealed, but older) still shows.
 * - Outside the workstation: every export batch and every report footer carries the head's id and hash, so the
 *   receiving systems and the printed reports witness how far the trail reached at that time.
 *
 * The key is the data directory's key file and not the OS keyring, so `npm run audit -- verify` (plain Node, no
 * Electron) can check the seal. See the README (Audit trail) for what is and is not detected.
 */
export class AuditSeal {
  constructor(
    readonly dataDir: string,
    private readonly key: Buffer,
  ) {}

  /** The engine's seal: creates secret.key when the data directory has none yet. */
  static open(dataDir: string): AuditSeal {
    return new AuditSeal(dataDir, auditMacKey(loadOrCreateKey(dataDir)));
  }

  /** A read-only seal for checks; null when secret.key is missing. */
  static forVerify(dataDir: string): AuditSeal | null {
    const key = readExistingKey(dataDir);
    return key ? new AuditSeal(dataDir, auditMacKey(key)) : null;
  }

  get anchorFile(): string {
    return path.join(this.dataDir, AUDIT_ANCHOR_FILE);
  }

  mac(head: AuditHeadRef): string {
    return crypto.createHmac('sha256', this.key).update(`watchroom-audit-head:${head.id}:${head.hash}`).digest('hex');
  }

  /** Whether `mac` seals exactly this head (constant time). */
  matches(head: AuditHeadRef, mac: string | null | undefined): boolean {
    if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
    return crypto.timingSafeEqual(Buffer.from(this.mac(head), 'hex'), Buffer.from(mac, 'hex'));
  }

  readAnchor(): AnchorRead {
    let text: string;
    try {
      text = fs.readFileSync(this.anchorFile, 'utf8');
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'absent' } : { state: 'invalid' };
    }
    try {
      const v = JSON.parse(text) as Partial<SealedHead>;
      if (!Number.isInteger(v.id) || (v.id as number) < 0 || typeof v.hash !== 'string' || !/^[0-9a-f]{64}$/.test(v.hash)) return { state: 'invalid' };
      const head = { id: v.id as number, hash: v.hash, mac: String(v.mac) };
      return this.matches(head, head.mac) ? { state: 'ok', head } : { state: 'invalid' };
    } catch {
      return { state: 'invalid' };
    }
  }

  /**
   * Moves the anchor forward to `head`. Never backwards, never over a file that is not a valid anchor, never past
   * an anchored row the trail no longer holds (`holds` says whether it does: a trail cut short and written on
   * keeps its old anchor, for verify to report), and it creates the file only when `create` is set (a fresh
   * trail, or the first start of a trail written before sealing existed): a deleted anchor stays missing.
   * Returns whether it wrote.
   */
  advanceAnchor(head: AuditHeadRef, opts: { create?: boolean; holds?: (anchored: AuditHeadRef) => boolean } = {}): boolean {
    const now = this.readAnchor();
    if (now.state === 'invalid') return false;
    if (now.state === 'absent' && !opts.create) return false;
    if (now.state === 'ok' && (now.head.id >= head.id || (opts.holds && !opts.holds(now.head)))) return false;
    const tmp = `${this.anchorFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify({ id: head.id, hash: head.hash, mac: this.mac(head) })}\n`, { mode: PRIVATE_FILE_MODE });
    fs.renameSync(tmp, this.anchorFile);
    return true;
  }
}

/** The recorded head of the trail in `db` (null: empty trail, or a database from before accounts existed). */
export function readAuditHead(db: Db): AuditHeadRef | null {
  try {
    const h = db.prepare('SELECT last_id, last_hash FROM audit_head WHERE singleton = 1').get() as { last_id: number; last_hash: string } | undefined;
    return h ? { id: h.last_id, hash: h.last_hash } : null;
  } catch {
    return null;
  }
}

/** The `audit_head.mac` migration 11 gives a head written before sealing existed; the engine then seals it once. */
export const UNSEALED_BEFORE_SEALING = 'unsealed-before-v11';

/** SQL of migration 11: the keyed MAC of the recorded head. */
export const AUDIT_SEAL_MIGRATION_SQL = `
  ALTER TABLE audit_head ADD COLUMN mac TEXT;
  UPDATE audit_head SET mac = '${UNSEALED_BEFORE_SEALING}';
`;
