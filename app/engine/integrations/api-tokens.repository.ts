import crypto from 'node:crypto';
import type { Role } from '../../shared/domain/user';
import type { ApiTokenView } from '../../shared/ipc/integrations.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { Db } from '../storage/database';

/** Every token starts with this, so a secret scanner (and a person) recognises one. */
export const API_TOKEN_PREFIX = 'wr_';

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  secret_hash: string;
  created_ms: number;
  created_by: string;
  expires_ms: number | null;
  revoked_ms: number | null;
  revoked_by: string | null;
  last_used_ms: number | null;
}

/** Why a presented token was refused (the HTTP answer says only "invalid token"; the log says which). */
export type TokenRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired';

const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');
const view = (r: TokenRow): ApiTokenView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdMs: r.created_ms,
  createdBy: r.created_by,
  expiresMs: r.expires_ms,
  revokedMs: r.revoked_ms,
  revokedBy: r.revoked_by,
  lastUsedMs: r.last_used_ms,
});

/** Splits `wr_<id>.<secret>`; null when it is not shaped like a token. */
export function parseApiToken(raw: string): { id: string; secret: string } | null {
  const m = /^wr_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/.exec(raw);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

/**
 * API tokens: created with a role and an optional expiry, stored as the SHA-256 of their secret, revoked (never
 * deleted). `verify` is what every API request goes through: constant-time hash comparison, then revocation and
 * expiry, read from the database on each request so a revocation applies to the very next request.
 */
export class ApiTokensRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  create(name: string, role: Role, days: number | undefined, by: string): { token: ApiTokenView; secret: string } {
    const id = crypto.randomBytes(8).toString('hex');
    const secret = crypto.randomBytes(32).toString('base64url');
    const now = this.now();
    this.db
      .prepare('INSERT INTO api_tokens (id, name, role, secret_hash, created_ms, created_by, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, name, role, sha256(secret), now, by, days === undefined ? null : now + days * 86_400_000);
    return { token: this.get(id)!, secret: `${API_TOKEN_PREFIX}${id}.${secret}` };
  }

  get(id: string): ApiTokenView | undefined {
    const r = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    return r ? view(r) : undefined;
  }

  list(): ApiTokenView[] {
    return (this.db.prepare('SELECT * FROM api_tokens ORDER BY created_ms DESC, id').all() as TokenRow[]).map(view);
  }

  revoke(id: string, by: string): ApiTokenView {
    const r = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    if (!r) throw new AppErrorException('not-found', 'There is no such API token.');
    if (r.revoked_ms !== null) throw new AppErrorException('conflict', 'This API token is already revoked.');
    this.db.prepare('UPDATE api_tokens SET revoked_ms = ?, revoked_by = ? WHERE id = ?').run(this.now(), by, id);
    return this.get(id)!;
  }

  /** The token's view when the presented string is a live token, else why not. Marks it used. */
  verify(raw: string): { ok: true; token: ApiTokenView } | { ok: false; why: TokenRefusal } {
    const parts = parseApiToken(raw);
    if (!parts) return { ok: false, why: 'malformed' };
    const r = this.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(parts.id) as TokenRow | undefined;
    // Compare hashes in constant time (the hash of a wrong secret against the stored one, or a dummy).
    const stored = Buffer.from(r?.secret_hash ?? sha256('no such token'), 'hex');
    const presented = Buffer.from(sha256(parts.secret), 'hex');
    if (!crypto.timingSafeEqual(stored, presented) || !r) return { ok: false, why: 'unknown' };
    if (r.revoked_ms !== null) return { ok: false, why: 'revoked' };
    const now = this.now();
    if (r.expires_ms !== null && r.expires_ms <= now) return { ok: false, why: 'expired' };
    // One write a minute at most, not one per request.
    if (r.last_used_ms === null || now - r.last_used_ms >= 60_000) this.db.prepare('UPDATE api_tokens SET last_used_ms = ? WHERE id = ?').run(now, r.id);
    return { ok: true, token: { ...view(r), lastUsedMs: now } };
  }
}
