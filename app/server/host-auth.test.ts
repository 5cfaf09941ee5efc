import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../engine/auth/as-role.test-support';
import { authTestEngine } from '../engine/auth/engine-auth.test-support';
import { nullLogger } from '../engine/logging/logger';
import { startHeadlessHost, type HeadlessHost } from './headless-host';
import { TestSocket } from './test-socket.test-support';

let t: ReturnType<typeof authTestEngine>;
let host: HeadlessHost;
let rendererDir: string;
beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>w</title>');
  t = authTestEngine();
  host = await startHeadlessHost({ engine: t.engine, logger: nullLogger, rendererDir });
});
afterAll(async () => {
  await host.close();
  await t.done();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

describe('headless host: token, origin and sessions', () => {
  it('refuses WebSockets without the token or from another origin', async () => {
    await expect(TestSocket.open(host.url, { token: null })).rejects.toThrow('refused 403');
    await expect(TestSocket.open(host.url, { token: 'x'.repeat(43) })).rejects.toThrow('refused 403');
    await expect(TestSocket.open(host.url, { origin: 'http://evil.example' })).rejects.toThrow('refused 403');
    await expect(TestSocket.open(host.url, { origin: 'null' })).rejects.toThrow('refused 403');
  });

  it('needs a session; logout ends it for every socket, and its handle is refused afterwards', async () => {
    const a = await TestSocket.open(host.url);
    expect(await a.invoke('cameras:list')).toMatchObject({ ok: false, error: { code: 'forbidden', details: { reason: 'signed-out' } } });
    expect(await a.invoke('auth:status')).toMatchObject({ ok: true, value: { needsSetup: true } });
    const setup = await a.invoke('auth:setup', { name: 'alice', password: TEST_PASSWORD });
    expect(setup).toMatchObject({ ok: true, value: { user: { name: 'alice', role: 'admin' } } });
    const session = (setup.value as { session: string }).session;
    expect(await a.invoke('auth:elevate', { channel: 'users:create', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await a.invoke('users:create', { name: 'bob', role: 'officer', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    expect(await a.invoke('cameras:list')).toEqual({ t: 'result', id: expect.any(Number), ok: true, value: [] });

    // Alice's second window re-attaches with the handle; Bob signs in elsewhere.
    const a2 = await TestSocket.open(host.url);
    expect(await a2.invoke('auth:resume', { session })).toMatchObject({ ok: true, value: { name: 'alice' } });
    const b = await TestSocket.open(host.url);
    expect(await b.invoke('auth:login', { name: 'bob', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    // Alice chose Bob's first password: he chooses his own before anything else (app/server/first-password.int.test.ts).
    expect(await b.invoke('auth:change-password', { current: TEST_PASSWORD, next: 'bob chose this one' })).toMatchObject({ ok: true });

    expect(await a.invoke('auth:logout')).toMatchObject({ ok: true });
    for (const s of [a, a2]) expect(await s.invoke('cameras:list')).toMatchObject({ ok: false, error: { details: { reason: 'signed-out' } } });
    // Someone else presenting Alice's old session handle gets nothing.
    const thief = await TestSocket.open(host.url);
    expect(await thief.invoke('auth:resume', { session })).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'Your session has ended: sign in again.' } });
    expect(await thief.invoke('events:list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Bob's own session is untouched.
    expect(await b.invoke('events:list', {})).toMatchObject({ ok: true });
    for (const s of [a, a2, b, thief]) s.close();
  });

  it('refuses malformed protocol messages with a clear error and keeps the socket', async () => {
    const s = await TestSocket.open(host.url);
    s.ws.send(JSON.stringify({ t: 'invoke', id: 'x', channel: 'app:info' }));
    s.ws.send(JSON.stringify({ t: 'frames', cameraId: 5, on: true }));
    await expect.poll(() => s.errors.length).toBe(2);
    expect(s.errors[0]).toMatchObject({ t: 'error', error: { code: 'invalid-input', message: expect.stringContaining('(id)') } });
    expect(await s.invoke('auth:status')).toMatchObject({ ok: true });
    s.close();
  });
});

describe('headless host: TLS beyond loopback', () => {
  it('refuses to listen beyond loopback without TLS, and serves HTTPS with a certificate', async () => {
    await expect(startHeadlessHost({ engine: t.engine, logger: nullLogger, rendererDir, host: '0.0.0.0' })).rejects.toThrow(/needs TLS/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
      const tlsHost = await startHeadlessHost({ engine: t.engine, logger: nullLogger, rendererDir, tls: { cert, key: fs.readFileSync(path.join(dir, 'key.pem')) } });
      try {
        expect(tlsHost.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/\?token=/);
        const get = (url: string, cookie?: string) =>
          new Promise<{ status: number; cookie: string }>((resolve, reject) =>
            https.get(url, { ca: cert, headers: cookie ? { cookie } : {} }, (res) => (res.resume(), resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') }))).on('error', reject),
          );
        // Over TLS the token cookie is Secure: a browser never sends it over plain HTTP.
        const first = await get(tlsHost.url);
        expect(first).toMatchObject({ status: 303, cookie: expect.stringMatching(/; HttpOnly; SameSite=Strict; Path=\/; Secure$/) });
        expect((await get(new URL(tlsHost.url).origin + '/', first.cookie.split(';')[0])).status).toBe(200);
        expect((await get(new URL(tlsHost.url).origin + '/')).status).toBe(403);
      } finally {
        await tlsHost.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
