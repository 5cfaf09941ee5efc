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

/** SHA-256 over every row of every table (read through a second connection: what is committed). */
function dbChecksum(): string {
  const db = new Database(path.join(t.dir, DB_FILE), { readonly: true });
  try {
    const h = crypto.createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all().map((r) => JSON.stringify(r)).sort();
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
    // Still serving: the token address sets the cookie and redirects to the page (issue 18 B9), which the cookie opens.
    const first = await fetch(host.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect((await fetch(new URL(first.headers.get('location')!, host.url), { headers: { cookie: first.headers.get('set-cookie')!.split(';')[0]! } })).status).toBe(200);
  });
});
