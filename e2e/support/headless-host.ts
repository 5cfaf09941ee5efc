import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { URL_LINE_PREFIX } from '../../app/shared/ipc/ws-protocol';
import { repoRoot } from '../../test/support/shared-fixtures';
import { TestSocket } from '../../app/server/test-socket.test-support';
import { E2E_ADMIN } from './browser';

/** A running headless host for tests. */
export interface TestHost {
  /** `http://127.0.0.1:<port>/?token=<token>` */
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  token: string;
  dataDir: string;
  /** Lines the host wrote to stdout/stderr so far (for diagnostics). */
  output: string[];
  /** SIGTERM, waits for exit (SIGKILL after 10 s); removes the data dir unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<number | null>;
  /** Stops and starts again on the same data dir (new port and token); updates this object. */
  restart(): Promise<TestHost>;
}

export interface StartTestHostOptions {
  /** Reuse a data dir (default: a fresh temp dir). */
  dataDir?: string;
  env?: Record<string, string>;
  /** How long to wait for the URL line (ms). */
  timeoutMs?: number;
}

const HEADLESS = () => path.join(repoRoot, 'dist', 'node', 'headless.cjs');

function launch(dataDir: string, env: Record<string, string>, timeoutMs: number, output: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [HEADLESS(), '--data-dir', dataDir, '--port', '0', '--no-open'], {
    cwd: repoRoot,
    env: { ...process.env, WATCHROOM_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  readline.createInterface({ input: child.stderr! }).on('line', (l) => output.length < 2000 && output.push(l));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`headless host printed no URL in ${timeoutMs} ms:\n${output.join('\n')}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`headless host exited (${code}) before listening:\n${output.join('\n')}`));
    });
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      if (output.length < 2000) output.push(l);
      if (l.startsWith(URL_LINE_PREFIX)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: l.slice(URL_LINE_PREFIX.length).trim() });
      }
    });
  });
}

/** Starts dist/node/headless.cjs (build it first: the vitest global setup does) on a temp data dir. */
export async function startHeadlessHost(options: StartTestHostOptions = {}): Promise<TestHost> {
  if (!fs.existsSync(HEADLESS())) throw new Error(`${HEADLESS()} is missing: run node scripts/build-node.mjs`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-e2e-'));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const output: string[] = [];
  let { child, url } = await launch(dataDir, options.env ?? {}, timeoutMs, output);

  const stopChild = (c: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve(c.exitCode);
      const kill = setTimeout(() => c.kill('SIGKILL'), 10_000);
      c.once('exit', (code) => {
        clearTimeout(kill);
        resolve(code);
      });
      c.kill('SIGTERM');
    });

  const host: TestHost = {
    url,
    origin: new URL(url).origin,
    token: new URL(url).searchParams.get('token') ?? '',
    dataDir,
    output,
    async stop(opts = {}) {
      const code = await stopChild(child);
      if (!opts.keepData && !options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    async restart() {
      await stopChild(child);
      ({ child, url } = await launch(dataDir, options.env ?? {}, timeoutMs, output));
      host.url = url;
      host.origin = new URL(url).origin;
      host.token = new URL(url).searchParams.get('token') ?? '';
      return host;
    },
  };
  return host;
}

/**
 * A WebSocket client of the host signed in as the e2e administrator (creating it on a fresh data dir), for
 * setting up data through the API: `await (await adminApi(host)).invoke('cameras:list')`. Close it when done.
 */
export async function adminApi(host: TestHost): Promise<TestSocket> {
  const s = await TestSocket.open(host.url);
  const status = await s.invoke('auth:status');
  const needsSetup = (status.value as { needsSetup?: boolean } | undefined)?.needsSetup;
  const r = await s.invoke(needsSetup ? 'auth:setup' : 'auth:login', { name: E2E_ADMIN.name, password: E2E_ADMIN.password });
  if (!r.ok) throw new Error(`admin sign-in failed: ${JSON.stringify(r.error)}`);
  return s;
}

/**
 * Creates an account through the admin's API socket, ready to sign in with `user.password` in the browser: the
 * admin gives it a temporary password (confirming with the admin's), and the user signs in once over the API and
 * chooses `user.password`, as every account must at its first sign-in (e2e/accounts.e2e.test.ts walks that in the app).
 */
export async function createReadyUser(host: TestHost, adminSocket: TestSocket, user: { name: string; password: string }, role: 'viewer' | 'officer' | 'supervisor' | 'admin'): Promise<void> {
  const temporary = `${user.password} (temporary)`;
  const must = async (s: TestSocket, channel: string, input?: unknown) => {
    const r = await s.invoke(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  };
  await must(adminSocket, 'auth:elevate', { channel: 'users:create', password: E2E_ADMIN.password });
  await must(adminSocket, 'users:create', { name: user.name, role, password: temporary });
  const s = await TestSocket.open(host.url);
  try {
    await must(s, 'auth:login', { name: user.name, password: temporary });
    await must(s, 'auth:change-password', { current: temporary, next: user.password });
    await must(s, 'auth:logout');
  } finally {
    s.close();
  }
}
