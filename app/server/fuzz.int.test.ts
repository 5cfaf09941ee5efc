import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { invokeContract, isInvokeChannel, type InvokeChannel } from '../shared/ipc/contracts';
import { ClientMessageSchema } from '../shared/ipc/ws-protocol';
import { setupAdmin, TEST_PASSWORD } from '../engine/auth/as-role.test-support';
import { authTestEngine } from '../engine/auth/engine-auth.test-support';
import { nullLogger } from '../engine/logging/logger';
import { DB_FILE } from '../engine/storage/database';
import { startHeadlessHost, type HeadlessHost } from './headless-host';
import { testActor } from '../engine/auth/as-role.test-support';
import { createApiHandler } from '../engine/http-api/api-handler';
import { API_ROUTES } from '../engine/http-api/api-routes';
import { ApiErrorBodySchema } from '../engine/http-api/api-errors';
import { TestSocket } from './test-socket.test-support';

/**
 * Fuzz: at least 10 000 malformed or random payloads on each entry point — the dispatcher in-process (every
 * channel), the host's WebSocket and its HTTP server — sent by a signed-in admin (so the schemas, not the
 * permission check, are what refuses them). No crash, no state change (a checksum of every table before and
 * after), every refusal a clear error. Payloads a schema happens to accept are not sent (they would be real calls).
 */
const PER_PATH = 10_000;
const CODES = new Set(['invalid-input', 'not-found', 'conflict', 'forbidden', 'unavailable']);
const channels = Object.keys(invokeContract) as InvokeChannel[];

let t: ReturnType<typeof authTestEngine>;
let host: HeadlessHost;
let rendererDir: string;
beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-fuzz-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>w</title>');
  t = authTestEngine();
  await setupAdmin(t.engine, 'fuzzer', 'admin');
  // Some state to protect: a camera with credentials and an account policy.
  await t.engine.dispatch('cameras:add', { name: 'Gate', source: 'rtsp://u:pw-123@10.1.1.1/s', enabled: false }, { peer: 'fuzzer' });
  host = await startHeadlessHost({ engine: t.engine, logger: nullLogger, rendererDir });
});
afterAll(async () => {
  await host?.close();
  await t?.done();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

/**
 * SHA-256 over every row of every table (read through a second connection: what is committed). `lastUsed: false`
 * leaves out API tokens' last-use time (a valid token's request records it once a minute).
 */
function dbChecksum(o: { lastUsed?: boolean } = {}): string {
  const db = new Database(path.join(t.dir, DB_FILE), { readonly: true });
  try {
    const h = crypto.createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) {
      const rows = db
        .prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`)
        .all()
        .map((r) => JSON.stringify(o.lastUsed === false && name === 'api_tokens' ? { ...(r as object), last_used_ms: null } : r))
        .sort();
      h.update(name).update(rows.join('\n'));
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}

/** Random JSON-ish values, and valid-looking objects with one field broken. */
const anyValue = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 5, withNullPrototype: true, withBigInt: false }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('id', 'cameraId', 'eventId', 'name', 'password', 'rules', 'reason', 'session', 'channel', 'limit', 'patch', 'source', 'enabled', 'role'), fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })), { maxKeys: 5 }),
  fc.string({ maxLength: 2000 }),
);

function malformedInvokes(n: number, seed: number): { channel: string; input: unknown }[] {
  const out: { channel: string; input: unknown }[] = [];
  const gen = fc.tuple(fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...channels) }, { weight: 1, arbitrary: fc.string({ maxLength: 70 }) }), anyValue);
  for (const [channel, input] of fc.sample(gen, { numRuns: n * 3, seed })) {
    if (isInvokeChannel(channel) && invokeContract[channel].input.safeParse(input).success) continue;
    out.push({ channel, input });
    if (out.length === n) break;
  }
  return out;
}

const isClearError = (e: unknown): boolean => {
  const err = e as { code?: unknown; message?: unknown };
  return typeof err?.code === 'string' && CODES.has(err.code) && typeof err.message === 'string' && err.message.length > 0 && err.message.length < 500;
};

describe('fuzz', () => {
  it(`in-process dispatcher: ${PER_PATH} malformed payloads over every channel`, async () => {
    const before = dbChecksum();
    const payloads = malformedInvokes(PER_PATH, 7);
    expect(payloads.length).toBe(PER_PATH);
    const seen = new Set<string>();
    for (const p of payloads) {
      const r = await t.engine.dispatch(p.channel, p.input, { peer: 'fuzzer' });
      expect(r.ok, `${p.channel} accepted ${JSON.stringify(p.input)?.slice(0, 200)}`).toBe(false);
      if (!r.ok) expect(isClearError(r.error), JSON.stringify(r.error)).toBe(true);
      seen.add(p.channel);
    }
    for (const c of channels) expect(seen.has(c), c).toBe(true);
    expect(dbChecksum()).toBe(before);
  });

  it(`WebSocket: ${PER_PATH} malformed messages`, async () => {
    const before = dbChecksum();
    const s = await TestSocket.open(host.url);
    expect(await s.invoke('auth:login', { name: 'admin', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    const after0 = dbChecksum(); // the sign-in itself is audited
    expect(after0).not.toBe(before);
    // Half protocol-level garbage (refused by ClientMessageSchema), half invokes with malformed inputs.
    const garbage = fc.sample(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ t: fc.constantFrom('invoke', 'frames', 'push', 'x'), id: fc.oneof(fc.string(), fc.double(), fc.constant(-1)), channel: fc.anything({ maxDepth: 1 }), cameraId: fc.oneof(fc.integer(), fc.constant(null)), on: fc.string() }, { requiredKeys: ['t'] })), { numRuns: PER_PATH, seed: 11 })
      .filter((m) => !ClientMessageSchema.safeParse(m).success)
      .slice(0, PER_PATH / 2);
    const invokes = malformedInvokes(PER_PATH - garbage.length, 13);
    let replies = 0;
    let clear = 0;
    const onMessage = (d: WebSocket.RawData) => {
      const m = JSON.parse(String(d)) as { t: string; ok?: boolean; error?: unknown };
      if (m.t === 'error' || (m.t === 'result' && m.ok === false)) {
        replies++;
        if (isClearError(m.error)) clear++;
      }
    };
    s.ws.on('message', onMessage);
    const BATCH = 50;
    const all: string[] = [...garbage.map((g) => JSON.stringify(g)), ...invokes.map((p, i) => JSON.stringify({ t: 'invoke', id: 100_000 + i, channel: p.channel, ...(p.input !== undefined ? { input: p.input } : {}) }))];
    expect(all.length).toBeGreaterThanOrEqual(PER_PATH);
    const deadline = Date.now() + 120_000;
    for (let i = 0; i < all.length; i += BATCH) {
      const target = Math.min(all.length, i + BATCH);
      for (const m of all.slice(i, target)) s.ws.send(m);
      while (replies < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
    }
    expect(replies).toBe(all.length);
    expect(clear).toBe(all.length);
    // Still serving, still signed in, nothing changed.
    expect(await s.invoke('cameras:list')).toMatchObject({ ok: true });
    s.close();
    expect(dbChecksum()).toBe(after0);
  });

  it(`HTTP: ${PER_PATH} malformed requests`, async () => {
    const before = dbChecksum();
    const { port } = new URL(host.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const req = fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'),
      path: fc.oneof(fc.stringMatching(/^\/[\x21-\x7e]{0,60}$/), fc.constantFrom('/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/api', '/index.html', '/.env', '/%00', '/a'.repeat(700))),
      query: fc.oneof(fc.constant(''), fc.stringMatching(/^\?[a-z=&%0-9]{0,30}$/), fc.constant(`?token=${host.token}&x=1`)),
      origin: fc.option(fc.constantFrom('http://evil.example', 'null', 'http://127.0.0.1:1'), { nil: undefined }),
      withToken: fc.boolean(),
    });
    let sent = 0;
    let refusedClearly = 0;
    let served = 0;
    const samples = fc.sample(req, { numRuns: PER_PATH, seed: 17 });
    const one = (r: (typeof samples)[number]) =>
      new Promise<void>((resolve) => {
        const headers: Record<string, string> = {};
        if (r.origin) headers.origin = r.origin;
        if (r.withToken) headers.cookie = `watchroom_token=${host.token}`;
        let rq: http.ClientRequest;
        try {
          rq = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path + r.query, headers, agent }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => {
              sent++;
              const status = res.statusCode ?? 0;
              if (status === 200) served++;
              else if ([400, 403, 404, 405].includes(status) && (r.method === 'HEAD' || body.length > 0)) refusedClearly++;
              resolve();
            });
          });
        } catch {
          return resolve(); // the client itself refused to send it
        }
        rq.on('error', () => resolve());
        rq.end();
      });
    for (let i = 0; i < samples.length; i += 16) await Promise.all(samples.slice(i, i + 16).map(one));
    agent.destroy();
    expect(sent).toBeGreaterThanOrEqual(PER_PATH * 0.99);
    // Every answer is either the renderer (a GET/HEAD with the token) or a refusal with a reason.
    expect(served + refusedClearly).toBe(sent);
    expect(dbChecksum()).toBe(before);
    // Still serving: the token address sets the cookie and redirects to the page (the token leaves the address bar), which the cookie opens.
    const first = await fetch(host.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect((await fetch(new URL(first.headers.get('location')!, host.url), { headers: { cookie: first.headers.get('set-cookie')!.split(';')[0]! } })).status).toBe(200);
  });

  it(`HTTP API: ${PER_PATH} malformed requests (bodies, headers, query strings)`, async () => {
    // A host with the API on, an admin token (so the schemas, not the permission check, refuse) and an existing alarm.
    const api = createApiHandler({ engine: t.engine, logger: nullLogger, version: 'fuzz', forceEnabled: true, rateLimits: { read: { limit: 1e6, windowS: 60 }, write: { limit: 1e6, windowS: 60 }, export: { limit: 1e6, windowS: 60 }, 'auth-failure': { limit: 1e6, windowS: 60 } } });
    const apiHost = await startHeadlessHost({ engine: t.engine, logger: nullLogger, rendererDir, api });
    const admin = { peer: 'fuzz-setup', user: testActor('admin') };
    const made = await t.engine.dispatch('integrations:token-create', { name: 'fuzz', role: 'admin' }, admin);
    const token = made.ok ? (made.value as { secret: string }).secret : '';
    const raised = await t.engine.dispatch('integrations:raise-alarm', { source: 'fuzz-panel', eventId: 'e1', priority: 3, text: 'Door held' }, admin);
    const alarmId = raised.ok ? (raised.value as { alarm: { id: string } }).alarm.id : '';
    expect(token && alarmId).toBeTruthy();
    // Closed, so a well-formed acknowledge or close of it is refused (409) rather than a real call.
    expect((await t.engine.dispatch('alarms:acknowledge', { id: alarmId }, admin)).ok).toBe(true);
    expect((await t.engine.dispatch('alarms:close', { id: alarmId, outcome: 'test' }, admin)).ok).toBe(true);
    const before = dbChecksum({ lastUsed: false });
    const templates = [...new Set(API_ROUTES.map((r) => r.path)), '/api/v1/openapi.json', '/metrics', '/api/v1', '/api/v2/cameras'];
    const idLike = fc.oneof(fc.constant(alarmId), fc.constant('01ARZ3NDEKTSV4RRFFQ69G5FAV'), fc.stringMatching(/^[A-Za-z0-9_%.-]{0,70}$/));
    const jsonBody = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      anyValue.map((v) => { try { return JSON.stringify(v) ?? ''; } catch { return '{'; } }),
      fc.record({ source: fc.string({ maxLength: 80 }), eventId: fc.oneof(fc.string({ maxLength: 200 }), fc.integer()), priority: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.string()), text: fc.oneof(fc.string({ maxLength: 600 }), fc.constant('')) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ outcome: fc.string({ maxLength: 20 }), comment: fc.oneof(fc.string({ maxLength: 1200 }), fc.integer()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 300 }),
      fc.constantFrom('{', '[1,2', 'null', '"x"', '{"__proto__":{"admin":true}}', '\u0000\u0001', '{"type":"custom","from":"yesterday"}'),
    );
    const req = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
      path: fc.oneof(
        { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...templates), idLike).map(([p, id]) => p.replace('{id}', encodeURIComponent(id))) },
        { weight: 1, arbitrary: fc.stringMatching(/^\/api\/v1\/[\x21-\x7e]{0,60}$/) },
      ),
      query: fc.oneof(
        fc.constant(''),
        fc.stringMatching(/^\?[a-zA-Z=&%0-9,._-]{0,40}$/),
        fc.tuple(fc.constantFrom('limit', 'from', 'to', 'cursor', 'status', 'type', 'cameraId', 'interval', 'ruleId'), fc.string({ maxLength: 30 })).map(([k, v]) => `?${k}=${encodeURIComponent(v)}`),
        fc.constant('?limit=1&limit=2'),
      ),
      auth: fc.oneof(
        { weight: 6, arbitrary: fc.constant(`Bearer ${token}`) },
        { weight: 1, arbitrary: fc.constantFrom(undefined, 'Bearer', `bearer ${token}`, `Bearer ${token}x`, `Bearer  ${token}`, `Basic ${token}`, 'Bearer wr_0000000000000000.' + 'A'.repeat(43)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`) },
      ),
      contentType: fc.constantFrom(undefined, 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json\u00ff'),
      body: fc.option(jsonBody, { nil: undefined }),
    });
    const samples = fc.sample(req, { numRuns: PER_PATH, seed: 23 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let sent = 0;
    let ok = 0;
    let refusedClearly = 0;
    let unsendable = 0;
    const odd: string[] = [];
    const one = (r: (typeof samples)[number]) =>
      new Promise<void>((resolve) => {
        const headers: Record<string, string> = {};
        if (r.auth !== undefined) headers.authorization = r.auth;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        // Framed: without a length Node sends a GET's body unframed (it would read as the next request).
        if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
        let rq: http.ClientRequest;
        try {
          rq = http.request({ host: '127.0.0.1', port: apiHost.port, method: r.method, path: r.path + r.query, headers, agent }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => {
              sent++;
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) ok++;
              else if (status >= 400 && status < 500 && (r.method === 'HEAD' || ApiErrorBodySchema.safeParse(JSON.parse(body || 'null')).success)) refusedClearly++;
              else if (odd.length < 5) odd.push(`${r.method} ${r.path}${r.query} -> ${status} ${body.slice(0, 200)}`);
              resolve();
            });
          });
        } catch {
          unsendable++;
          return resolve(); // the client itself refused to send it (a header it cannot encode)
        }
        rq.on('error', (e) => {
          if (odd.length < 5) odd.push(`${r.method} ${r.path}${r.query} ${JSON.stringify([r.auth, r.contentType, r.body])}: ${e.message}`);
          resolve();
        });
        rq.end(r.body);
      });
    try {
      for (let i = 0; i < samples.length; i += 16) await Promise.all(samples.slice(i, i + 16).map(one));
      expect(odd).toEqual([]);
      expect(sent + unsendable).toBe(PER_PATH);
      expect(sent).toBeGreaterThanOrEqual(PER_PATH * 0.8);
      // Every answer is a read that succeeded or a refusal in the error format (never a 5xx, never a crash).
      expect(odd).toEqual([]);
      expect(ok + refusedClearly).toBe(sent);
      expect(refusedClearly).toBeGreaterThan(PER_PATH / 2);
      expect(dbChecksum({ lastUsed: false })).toBe(before);
      // Still serving.
      expect((await fetch(`http://127.0.0.1:${apiHost.port}/api/v1/alarms`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      agent.destroy();
      await apiHost.close();
    }
  });
});
