import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../app/shared/ipc/ws-protocol';
import { WS_PATH } from '../../app/shared/ipc/ws-protocol';
import { startHeadlessHost, type TestHost } from '../../e2e/support/headless-host';

const hosts: TestHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop()));
});

/** A minimal protocol client: invoke() and the pushes seen so far. */
async function connect(host: TestHost, origin = host.origin) {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}${WS_PATH}?token=${host.token}`, { origin });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  let next = 1;
  const waiting = new Map<number, (m: ServerMessage) => void>();
  const pushes: ServerMessage[] = [];
  ws.on('message', (data, binary) => {
    if (binary) return;
    const m = JSON.parse(String(data)) as ServerMessage;
    if (m.t === 'result') waiting.get(m.id)?.(m);
    else pushes.push(m);
  });
  const invoke = (channel: string, input?: unknown) =>
    new Promise<ServerMessage>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ t: 'invoke', id, channel, input }));
    });
  return { ws, invoke, pushes, close: () => ws.close() };
}

describe('headless host (real SQLite, real process)', () => {
  it('keeps a camera added over WebSocket across a restart, never returning its password', async () => {
    const host = await startHeadlessHost();
    hosts.push(host);
    const c = await connect(host);
    // Nothing but sign-in before a session: then the first run creates the administrator.
    expect(await c.invoke('cameras:list')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await c.invoke('auth:setup', { name: 'admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
    const added = await c.invoke('cameras:add', { name: 'Door', source: 'rtsp://admin:s3cret@127.0.0.1:8554/door' });
    expect(added).toMatchObject({ t: 'result', ok: true, value: { name: 'Door', source: 'rtsp://admin:***@127.0.0.1:8554/door' } });
    expect(await c.invoke('cameras:add', { name: '' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await c.invoke('no:such', {})).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    await expect.poll(() => c.pushes.some((p) => p.t === 'push' && p.event === 'cameras:changed')).toBe(true);
    c.close();

    const oldToken = host.token;
    await host.restart();
    expect(host.token).not.toBe(oldToken);
    const d = await connect(host);
    expect(await d.invoke('auth:login', { name: 'admin', password: 'correct horse battery' })).toMatchObject({ ok: true });
    const list = await d.invoke('cameras:list');
    expect(list).toMatchObject({ ok: true, value: [{ name: 'Door', source: 'rtsp://admin:***@127.0.0.1:8554/door' }] });
    expect(JSON.stringify(list)).not.toContain('s3cret');
    expect(await d.invoke('app:info')).toMatchObject({ ok: true, value: { host: 'headless', dataDir: host.dataDir } });
    expect(await d.invoke('health:get')).toMatchObject({ ok: true, value: { components: expect.arrayContaining([expect.objectContaining({ id: 'database', level: 'healthy' })]) } });
    d.close();
  });

  it('refuses WebSockets without the token or from another origin, and exits cleanly on SIGTERM', async () => {
    const host = await startHeadlessHost();
    hosts.push(host);
    await expect(connect(host, 'http://evil.example')).rejects.toThrow(/403/);
    const noToken = new WebSocket(`${host.origin.replace('http', 'ws')}${WS_PATH}`, { origin: host.origin });
    await expect(new Promise((_r, reject) => noToken.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`))))).rejects.toThrow(/403/);
    expect(await host.stop()).toBe(0);
  });
});
