import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'node:net';

/**
 * Real export targets for the integration tests, on 127.0.0.1, started and stopped by the tests: Debian's
 * mosquitto, PostgreSQL 15 (initdb as the unprivileged `postgres` user in a temp folder) and a small HTTPS batch
 * receiver with its own CA. Every wait is bounded.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

/** Polls until a TCP connect to the port succeeds (bounded). */
export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect({ host: '127.0.0.1', port });
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until || i > 1000) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function waitExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

// ---------------------------------------------------------------- mosquitto

export interface Mosquitto {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
  log(): string;
}

/** mosquitto on 127.0.0.1:<free port>; with `users`, anonymous access is refused. */
export async function startMosquitto(o: { users?: Record<string, string> } = {}): Promise<Mosquitto> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-mqtt-'));
  const port = await freePort();
  const conf = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr', 'user root', `allow_anonymous ${o.users ? 'false' : 'true'}`, 'max_queued_messages 0'];
  if (o.users) {
    const pw = path.join(dir, 'passwd');
    fs.writeFileSync(pw, '');
    for (const [u, p] of Object.entries(o.users)) execFileSync('mosquitto_passwd', ['-b', pw, u, p]);
    fs.chmodSync(pw, 0o600);
    conf.push(`password_file ${pw}`);
  }
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), conf.join('\n') + '\n');
  let child: ChildProcess | null = null;
  let log = '';
  const m: Mosquitto = {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async start() {
      if (child) return;
      const c = spawn('mosquitto', ['-c', path.join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
      c.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      c.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      child = c;
      await waitForPort(port);
    },
    async stop() {
      const c = child;
      child = null;
      if (!c) return;
      c.kill('SIGTERM');
      await waitExit(c, 5000);
    },
    async dispose() {
      await m.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log: () => log,
  };
  await m.start();
  process.once('exit', () => child?.kill('SIGKILL'));
  return m;
}

// ---------------------------------------------------------------- a link that can drop

export interface TcpProxy {
  port: number;
  /** Cuts every connection and refuses new ones (the link is down). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP relay 127.0.0.1:<free port> → 127.0.0.1:<target>, to cut the link to a server that stays up. */
export async function startTcpProxy(target: number): Promise<TcpProxy> {
  const port = await freePort();
  const conns = new Set<Socket>();
  let server: net.Server | null = null;
  const p: TcpProxy = {
    port,
    async up() {
      if (server) return;
      const s = net.createServer((client) => {
        const upstream = net.connect({ host: '127.0.0.1', port: target });
        conns.add(client);
        conns.add(upstream);
        const end = () => {
          client.destroy();
          upstream.destroy();
          conns.delete(client);
          conns.delete(upstream);
        };
        client.on('error', end).on('close', end);
        upstream.on('error', end).on('close', end);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      await new Promise<void>((res, rej) => {
        s.once('error', rej);
        s.listen(port, '127.0.0.1', () => res());
      });
      server = s;
    },
    async down() {
      const s = server;
      server = null;
      for (const c of conns) c.destroy();
      conns.clear();
      if (s) await new Promise<void>((res) => s.close(() => res()));
    },
    async close() {
      await p.down();
    },
  };
  await p.up();
  return p;
}

// ---------------------------------------------------------------- PostgreSQL

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * PostgreSQL 15 in a temp data folder, initialised as the `postgres` OS user (initdb refuses root), listening on
 * 127.0.0.1:<free port> with password (scram) authentication over TCP and its socket in the temp folder.
 */
export async function startPostgres(): Promise<Postgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-pg-'));
  const data = path.join(dir, 'data');
  const pwfile = path.join(dir, 'pw');
  const password = 'central-secret';
  fs.writeFileSync(pwfile, password + '\n');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  fs.chmodSync(dir, 0o700);
  const run = (bin: string, args: string[]) => (asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args]] : [path.join(PG_BIN, bin), args]) as [string, string[]];
  const [cmd, args] = run('initdb', ['-D', data, '-U', 'postgres', '--pwfile', pwfile, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-sync']);
  execFileSync(cmd, args, { stdio: 'pipe', timeout: 120_000 });
  const port = await freePort();
  let child: ChildProcess | null = null;
  let log = '';
  const pg: Postgres = {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password,
    database: 'postgres',
    async start() {
      if (child) return;
      const [c2, a2] = run('postgres', ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
      const c = spawn(c2, a2, { stdio: ['ignore', 'pipe', 'pipe'] });
      c.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      c.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
      child = c;
      await waitForPort(port, 30_000).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}\n${log}`);
      });
      // Accepting TCP is not yet accepting queries: wait for the ready line (bounded).
      const until = Date.now() + 20_000;
      while (!/ready to accept connections/.test(log) && Date.now() < until) await sleep(100);
    },
    async stop() {
      const c = child;
      child = null;
      if (!c) return;
      // The postmaster's own pid (runuser stands between us and it): a fast shutdown.
      const pid = postmasterPid(data);
      if (pid) {
        try {
          process.kill(pid, 'SIGINT');
        } catch {}
      } else c.kill('SIGINT');
      await waitExit(c, 15_000);
      const until = Date.now() + 10_000;
      while (postmasterPid(data) && Date.now() < until) await sleep(100);
    },
    async dispose() {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await pg.start();
  process.once('exit', () => {
    const pid = postmasterPid(data);
    if (pid)
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
  });
  return pg;
}

function postmasterPid(data: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!pid) return null;
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- TLS material

export interface TestPki {
  /** The CA certificate (PEM) that signed both server certificates. */
  caPem: string;
  /** Certificate for 127.0.0.1 / localhost. */
  certPem: string;
  keyPem: string;
  /** Certificate for another name (wrong.example): a host-name mismatch on 127.0.0.1. */
  wrongCertPem: string;
  wrongKeyPem: string;
}

/** A throw-away CA and two server certificates made with the openssl CLI. */
export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-pki-'));
  const f = (n: string) => path.join(dir, n);
  const ossl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', timeout: 60_000 });
  try {
    ossl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=Watchroom Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    const server = (name: string, san: string) => {
      ossl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`]);
      fs.writeFileSync(f(`${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
      ossl(['x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '2', '-extfile', f(`${name}.ext`)]);
    };
    server('local', 'IP:127.0.0.1,DNS:localhost');
    server('wrong', 'DNS:wrong.example');
    const r = (n: string) => fs.readFileSync(f(n), 'utf8');
    return { caPem: r('ca.pem'), certPem: r('local.pem'), keyPem: r('local.key'), wrongCertPem: r('wrong.pem'), wrongKeyPem: r('wrong.key') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- HTTPS receiver

export interface ReceivedEvent {
  id: string;
  type: string;
  cameraId: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface HttpsReceiver {
  url: string;
  port: number;
  /** First copy of each event, by id. */
  events: Map<string, ReceivedEvent>;
  /** Event ids in order of first arrival. */
  order: string[];
  /** Every event copy received (duplicates included). */
  receivedCopies: number;
  batches: number;
  /** Idempotency keys seen. */
  keys: Set<string>;
  /** X-Watchroom-Audit-Head of each stored batch, in order. */
  auditHeads: string[];
  /** Answer after this many ms. */
  delayMs: number;
  /** Events for which this returns a reason are rejected as invalid (listed in the 200 answer). */
  reject: (e: ReceivedEvent) => string | null;
  /** A batch holding an event for which this is true is refused whole with HTTP 422. */
  poison: (e: ReceivedEvent) => boolean;
  /** Stops listening and cuts open connections. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A small HTTPS batch endpoint: stores each event once by id (what a real receiver must do), answers 401 to a
 * wrong bearer token or HMAC signature, 400 to a malformed batch, and lists events `reject` refuses.
 */
export async function startHttpsReceiver(o: { pki: TestPki; useWrongCert?: boolean; bearer?: string; hmacKey?: string }): Promise<HttpsReceiver> {
  const sockets = new Set<Socket>();
  let server: https.Server | null = null;
  const port = await freePort();
  const r: HttpsReceiver = {
    url: `https://127.0.0.1:${port}/ingest`,
    port,
    events: new Map(),
    order: [],
    receivedCopies: 0,
    batches: 0,
    keys: new Set(),
    auditHeads: [],
    delayMs: 0,
    reject: () => null,
    poison: () => false,
    async down() {
      const s = server;
      server = null;
      if (!s) return;
      for (const so of sockets) so.destroy();
      await new Promise<void>((res) => s.close(() => res()));
    },
    async up() {
      if (server) return;
      const s = https.createServer({ cert: o.useWrongCert ? o.pki.wrongCertPem : o.pki.certPem, key: o.useWrongCert ? o.pki.wrongKeyPem : o.pki.keyPem }, (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const answer = (status: number, json: unknown) => {
            const send = () => {
              if (res.destroyed) return;
              res.writeHead(status, { 'content-type': 'application/json' });
              res.end(JSON.stringify(json));
            };
            if (r.delayMs > 0) setTimeout(send, r.delayMs);
            else send();
          };
          if (o.bearer !== undefined && req.headers.authorization !== `Bearer ${o.bearer}`) return answer(401, { error: 'unauthorised' });
          if (o.hmacKey !== undefined) {
            const ts = String(req.headers['x-watchroom-timestamp'] ?? '');
            const want = 'sha256=' + createHmac('sha256', o.hmacKey).update(`${ts}.${body}`).digest('hex');
            if (req.headers['x-watchroom-signature'] !== want) return answer(401, { error: 'bad signature' });
          }
          let batch: { schema?: string; version?: number; events?: ReceivedEvent[] };
          try {
            batch = JSON.parse(body) as typeof batch;
          } catch {
            return answer(400, { error: 'not JSON' });
          }
          if (batch.schema !== 'watchroom.export-batch' || batch.version !== 1 || !Array.isArray(batch.events)) return answer(400, { error: 'not a v1 batch' });
          if (batch.events.some((e) => r.poison(e))) return answer(422, { error: 'invalid event in batch' });
          const finish = () => {
            r.batches++;
            const key = req.headers['idempotency-key'];
            if (typeof key === 'string') r.keys.add(key);
            const head = req.headers['x-watchroom-audit-head'];
            if (typeof head === 'string') r.auditHeads.push(head);
            const rejected: { id: string; reason: string }[] = [];
            for (const e of batch.events!) {
              const why = r.reject(e);
              if (why) {
                rejected.push({ id: e.id, reason: why });
                continue;
              }
              r.receivedCopies++;
              if (!r.events.has(e.id)) {
                r.events.set(e.id, e);
                r.order.push(e.id);
              }
            }
            return rejected;
          };
          // Stored before answering (a slow answer still stores: the sender's timeout then re-sends a duplicate).
          const rejected = finish();
          answer(200, { accepted: batch.events.length - rejected.length, rejected });
        });
      });
      s.on('connection', (so: Socket) => {
        sockets.add(so);
        so.on('close', () => sockets.delete(so));
      });
      await new Promise<void>((res, rej) => {
        s.once('error', rej);
        s.listen(port, '127.0.0.1', () => res());
      });
      server = s;
    },
    async close() {
      await r.down();
    },
  };
  await r.up();
  return r;
}
