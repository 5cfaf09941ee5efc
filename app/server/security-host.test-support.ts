import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_PASSWORD, temporaryPassword } from '../engine/auth/as-role.test-support';
import { authTestEngine } from '../engine/auth/engine-auth.test-support';
import type { Logger } from '../engine/logging/logger';
import { nullLogger } from '../engine/logging/logger';
import { startHeadlessHost, type HeadlessHost } from './headless-host';
import { TestSocket } from './test-socket.test-support';

type Result = Awaited<ReturnType<TestSocket['invoke']>>;

/**
 * A headless host on a fresh data dir for the security review's tests: the attacks go through
 * the host's WebSocket API, exactly as a browser holding the host token would send them.
 */
export async function startSecurityHost(opts: { engineLogger?: (dataDir: string) => Logger; dataDir?: string } = {}) {
  const rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-sec-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>w</title>');
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wr-sec-'));
  const engineLogger = opts.engineLogger?.(dataDir);
  const t = authTestEngine({ dataDir, ...(engineLogger ? { logger: engineLogger } : {}) });
  const host: HeadlessHost = await startHeadlessHost({ engine: t.engine, logger: engineLogger ?? nullLogger, rendererDir, downloads: t.engine.downloads });
  const sockets: TestSocket[] = [];
  const open = async () => {
    const s = await TestSocket.open(host.url);
    sockets.push(s);
    return s;
  };
  /** Invokes and fails the test when the call is refused. */
  const must = async (s: TestSocket, channel: string, input?: unknown): Promise<unknown> => {
    const r: Result = await s.invoke(channel, input);
    if (!r.ok) throw new Error(`${channel} refused: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  /** Confirms a sensitive channel with the password, then calls it. */
  const confirmed = async (s: TestSocket, channel: string, input?: unknown, password = TEST_PASSWORD): Promise<Result> => {
    await must(s, 'auth:elevate', { channel, password });
    return s.invoke(channel, input);
  };
  /** First run: the admin `admin` signed in on a new socket. */
  const admin = async () => {
    const s = await open();
    await must(s, 'auth:setup', { name: 'admin', password: TEST_PASSWORD });
    return s;
  };
  /**
   * Creates an account as the signed-in admin (with a temporary password) and signs it in on a new socket, where
   * the user chooses `password` as a first sign-in must: the socket may then do what the role allows.
   */
  const user = async (adminSocket: TestSocket, name: string, role: 'viewer' | 'officer' | 'supervisor' | 'admin', password = TEST_PASSWORD) => {
    const r = await confirmed(adminSocket, 'users:create', { name, role, password: temporaryPassword(password) });
    if (!r.ok) throw new Error(`users:create refused: ${JSON.stringify(r.error)}`);
    const s = await open();
    const signedIn = (await must(s, 'auth:login', { name, password: temporaryPassword(password) })) as { session: string; device: string };
    await must(s, 'auth:change-password', { current: temporaryPassword(password), next: password });
    return { socket: s, ...signedIn };
  };
  return {
    t,
    host,
    open,
    must,
    confirmed,
    admin,
    user,
    async done() {
      for (const s of sockets) s.close();
      await host.close();
      await t.done();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}
export type SecurityHost = Awaited<ReturnType<typeof startSecurityHost>>;
