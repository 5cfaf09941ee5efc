import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CTX } from '../engine/auth/as-role.test-support';
import { authTestEngine } from '../engine/auth/engine-auth.test-support';
import { createApiHandler } from '../engine/http-api/api-handler';
import { nullLogger } from '../engine/logging/logger';
import { repoRoot } from '../../test/support/shared-fixtures';
import { startHeadlessHost, type HeadlessHost } from './headless-host';

/** `npm run api-token` (the built CLI) against a data dir whose host is running: the token it prints works at once, and so does its revocation. */
const CLI = path.join(repoRoot, 'dist/node/api-token.cjs');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

let t: ReturnType<typeof authTestEngine>;
let host: HeadlessHost;
let rendererDir: string;
beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-cli-api-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  t = authTestEngine();
  host = await startHeadlessHost({ engine: t.engine, logger: nullLogger, rendererDir, api: createApiHandler({ engine: t.engine, logger: nullLogger, version: 't', forceEnabled: true }) });
});
afterAll(async () => {
  await host?.close();
  await t?.done();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

const get = (token: string) => fetch(`http://127.0.0.1:${host.port}/api/v1/alarms`, { headers: { Authorization: `Bearer ${token}` }, redirect: 'manual' });

describe('npm run api-token', () => {
  it('creates a token (printed once), lists it without the token, revokes it; both audited, trail intact', async () => {
    const created = run('create', '--data-dir', t.dir, '--name', 'access-control', '--role', 'officer', '--days', '30');
    expect(created.status, created.stderr).toBe(0);
    const token = /^(wr_[0-9a-f]{16}\.[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
    expect(token).toBeTruthy();
    expect(created.stdout).toMatch(/role officer, expires 20\d\d-/);
    expect((await get(token!)).status).toBe(200);

    const listed = run('list', '--data-dir', t.dir);
    expect(listed.status).toBe(0);
    const id = token!.slice(3, 19);
    expect(listed.stdout).toContain(`${id}  access-control  officer  expires`);
    expect(listed.stdout).not.toContain(token!.split('.')[1]!);
    // The app lists it too (same table).
    const inApp = await t.engine.dispatch('integrations:tokens', {}, ADMIN_CTX);
    expect(inApp.ok && (inApp.value as Array<{ id: string }>).map((x) => x.id)).toContain(id);

    const revoked = run('revoke', '--data-dir', t.dir, '--id', id);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect((await get(token!)).status).toBe(401);
    expect(run('revoke', '--data-dir', t.dir, '--id', id).status).toBe(1);

    const audit = await t.engine.dispatch('audit:list', { limit: 50 }, ADMIN_CTX);
    const actions = audit.ok ? (audit.value as Array<{ action: string; target: string }>).filter((r) => r.target === id).map((r) => r.action) : [];
    expect(actions.sort()).toEqual(['integrations:token-create', 'integrations:token-revoke']);
    const verify = execFileSync(process.execPath, [path.join(repoRoot, 'dist/node/audit.cjs'), 'verify', '--data-dir', t.dir], { encoding: 'utf8' });
    expect(verify).toMatch(/^intact/);
  });

  it('refuses bad usage with exit status 2 and the help', () => {
    expect(run('create', '--data-dir', t.dir, '--name', 'x', '--role', 'root').status).toBe(2);
    expect(run('create', '--data-dir', t.dir, '--name', '', '--role', 'viewer').status).toBe(2);
    expect(run('create', '--data-dir', t.dir, '--name', 'x', '--role', 'viewer', '--days', '0').status).toBe(2);
    expect(run('create', '--data-dir', path.join(t.dir, 'nope'), '--name', 'x', '--role', 'viewer').status).toBe(2);
    const bad = run('frobnicate', '--data-dir', t.dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage:');
  });
});
