import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../../test/support/temp-dirs';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { ApiTokensRepository, parseApiToken } from './api-tokens.repository';

const dbs: Db[] = [];
const tmp = tempDirs('wr-tokens-');
afterEach(() => {
  for (const d of dbs.splice(0)) if (d.open) d.close();
});

describe('API tokens', () => {
  it('verifies a live token, refuses a wrong secret, an expired and a revoked one; stores no secret; never deletes', () => {
    const db = openDatabase({ dataDir: tmp(), logger: nullLogger });
    dbs.push(db);
    const clock = { now: Date.UTC(2026, 0, 1) };
    const repo = new ApiTokensRepository(db, () => clock.now);
    const { token, secret } = repo.create('door-panel', 'officer', 2, 'admin');
    expect(token).toMatchObject({ name: 'door-panel', role: 'officer', createdBy: 'admin', expiresMs: clock.now + 2 * 86_400_000, revokedMs: null, lastUsedMs: null });
    const parts = parseApiToken(secret)!;
    expect(parts.id).toBe(token.id);
    expect(JSON.stringify(db.prepare('SELECT * FROM api_tokens').all())).not.toContain(parts.secret);

    expect(repo.verify(secret)).toMatchObject({ ok: true, token: { id: token.id, lastUsedMs: clock.now } });
    expect(repo.verify(`wr_${parts.id}.${'B'.repeat(43)}`)).toEqual({ ok: false, why: 'unknown' });
    expect(repo.verify(`wr_${'0'.repeat(16)}.${parts.secret}`)).toEqual({ ok: false, why: 'unknown' });
    expect(repo.verify('Bearer nonsense')).toEqual({ ok: false, why: 'malformed' });
    expect(repo.verify(`${secret} `)).toEqual({ ok: false, why: 'malformed' });

    clock.now += 2 * 86_400_000 - 1;
    expect(repo.verify(secret).ok).toBe(true);
    clock.now += 1;
    expect(repo.verify(secret)).toEqual({ ok: false, why: 'expired' });

    const other = repo.create('fire-panel', 'viewer', undefined, 'admin');
    expect(other.token.expiresMs).toBeNull();
    expect(repo.revoke(other.token.id, 'ana')).toMatchObject({ revokedBy: 'ana', revokedMs: clock.now });
    expect(repo.verify(other.secret)).toEqual({ ok: false, why: 'revoked' });
    expect(() => repo.revoke(other.token.id, 'ana')).toThrow(/already revoked/);
    expect(() => repo.revoke('nope', 'ana')).toThrow(/no such/);
    expect(() => db.prepare('DELETE FROM api_tokens').run()).toThrow(/never deleted/);
    expect(repo.list().map((t) => t.name)).toEqual(['fire-panel', 'door-panel']);
  });
});
