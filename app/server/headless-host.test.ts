import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveFrame } from '../shared/domain/detection';
import { decodeFrame } from '../shared/ipc/frame-codec';
import { WS_PATH } from '../shared/ipc/ws-protocol';
import { nullLogger } from '../engine/logging/logger';
import { allowedOrigins, cookieValue, tokenMatches } from './access';
import { parseHeadlessArgs } from './cli-args';
import { startHeadlessHost, type HeadlessHost } from './headless-host';
import { mimeType, resolveStaticFile } from '../engine/static/static-files';
import type { GatewayEngine } from './ws-gateway';

let root: string;
beforeAll(() => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-static-'));
  root = path.join(parent, 'renderer');
  fs.mkdirSync(root);
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  fs.writeFileSync(path.join(root, 'assets', 'a.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
  fs.writeFileSync(path.join(path.dirname(root), 'outside.txt'), 'no');
  return () => fs.rmSync(parent, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves inside the root only', () => {
    expect(resolveStaticFile(root, '/')).toBe(fs.realpathSync(path.join(root, 'index.html')));
    expect(resolveStaticFile(root, '/assets/a.js')).toMatch(/a\.js$/);
    for (const bad of ['/../outside.txt', '/assets/../../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/.env', '/assets%5c..%5c..%5coutside.txt', '/a%00.js', '/%E0%A4%A']) {
      expect(resolveStaticFile(root, bad)).toBeNull();
    }
    expect(mimeType('x.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('x.bin')).toBe('application/octet-stream');
  });
});

describe('access and args', () => {
  it('compares tokens, reads cookies and lists origins', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abc', 'abd')).toBe(false);
    expect(tokenMatches('abc', null)).toBe(false);
    expect(cookieValue('a=1; watchroom_token=xyz', 'watchroom_token')).toBe('xyz');
    expect([...allowedOrigins('127.0.0.1', 80)]).toContain('http://localhost:80');
    expect([...allowedOrigins('192.168.1.2', 80)]).toEqual(['http://192.168.1.2:80']);
  });
  it('parses the command line', () => {
    expect(parseHeadlessArgs(['--data-dir', '/d', '--port=0', '--no-open'])).toEqual({ dataDir: '/d', port: 0, host: '127.0.0.1', open: false, api: false });
    expect(parseHeadlessArgs(['--api']).api).toBe(true);
    expect(() => parseHeadlessArgs(['--tls-cert', 'c.pem'])).toThrow(/go together/);
    expect(() => parseHeadlessArgs(['--port', '70000'])).toThrow();
    expect(() => parseHeadlessArgs(['--bogus'])).toThrow(/Unknown option/);
  });
});

describe('headless HTTP + WebSocket', () => {
  let host: HeadlessHost | null = null;
  afterEach(async () => {
    await host?.close();
    host = null;
  });
  const frameListeners = new Set<(f: LiveFrame) => void>();
  const engine: GatewayEngine = {
    dispatch: async (channel) => ({ ok: true, value: channel }),
    onPush: () => ({ dispose() {} }),
    subscribeFrames: (_id, l) => {
      frameListeners.add(l);
      return () => frameListeners.delete(l);
    },
    // Every socket counts as signed in here; sessions are tested against the real engine in host-auth.test.ts.
    peerUser: () => ({ userId: 'u', name: 'tester', role: 'admin' }),
    releasePeer: () => {},
  };

  it('requires the token, sets a strict cookie and sends the CSP', async () => {
    host = await startHeadlessHost({ engine, logger: nullLogger, rendererDir: root });
    const base = new URL(host.url).origin;
    expect((await fetch(`${base}/`)).status).toBe(403);
    expect((await fetch(`${base}/assets/a.js?token=wrong`)).status).toBe(403);
    // The token URL sets the cookie and redirects to the same page without the token (it leaves the address bar and the history).
    const first = await fetch(host.url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Path=\/$/);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const ok = await fetch(`${base}/`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(ok.headers.get('set-cookie')).toBeNull();
    const js = await fetch(`${base}/assets/a.js`, { headers: { cookie } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/assets/missing.js`, { headers: { cookie } })).status).toBe(404);
    expect(await (await fetch(`${base}/.env`, { headers: { cookie } })).text()).not.toContain('SECRET');
    expect((await fetch(host.url, { method: 'POST', redirect: 'manual' })).status).toBe(405);
    expect((await fetch(`${host.url}&x=1`, { redirect: 'manual' })).status).toBe(400);
    expect((await fetch(host.url, { headers: { origin: 'http://evil.example' }, redirect: 'manual' })).status).toBe(403);
  });

  it('serves playback clips by ticket with byte ranges, behind the host token', async () => {
    const clip = path.join(root, 'clip.bin');
    fs.writeFileSync(clip, Buffer.from(Array.from({ length: 100 }, (_, i) => i)));
    const ticket = 'a'.repeat(32);
    host = await startHeadlessHost({ engine, logger: nullLogger, rendererDir: root, playbackFile: (t) => (t === ticket ? clip : null) });
    const base = new URL(host.url).origin;
    const url = `${base}/playback/${ticket}.mp4`;
    expect((await fetch(url)).status).toBe(403);
    const cookie = (await fetch(host.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
    const whole = await fetch(url, { headers: { cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect((await whole.arrayBuffer()).byteLength).toBe(100);
    const part = await fetch(url, { headers: { cookie, range: 'bytes=90-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 90-99/100');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    expect((await fetch(url, { headers: { cookie, range: 'bytes=100-' } })).status).toBe(416);
    expect((await fetch(`${base}/playback/${'b'.repeat(32)}.mp4`, { headers: { cookie } })).status).toBe(404);
    fs.rmSync(clip);
  });

  it('answers invokes by id and closes on non-JSON messages', async () => {
    host = await startHeadlessHost({ engine, logger: nullLogger, rendererDir: root });
    const origin = new URL(host.url).origin;
    const ws = new WebSocket(`${origin.replace('http', 'ws')}${WS_PATH}?token=${host.token}`, { origin });
    await new Promise((r) => ws.once('open', r));
    const reply = new Promise((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
    ws.send(JSON.stringify({ t: 'invoke', id: 7, channel: 'app:info' }));
    expect(await reply).toEqual({ t: 'result', id: 7, ok: true, value: 'app:info' });
    const closed = new Promise((r) => ws.once('close', (code) => r(code)));
    ws.send('not json');
    expect(await closed).toBe(1003);
  });

  it('drops frames for a slow client instead of queueing them', async () => {
    host = await startHeadlessHost({ engine, logger: nullLogger, rendererDir: root });
    const origin = new URL(host.url).origin;
    const ws = new WebSocket(`${origin.replace('http', 'ws')}${WS_PATH}?token=${host.token}`, { origin });
    await new Promise((r) => ws.once('open', r));
    let received = 0;
    ws.on('message', (data, binary) => {
      if (binary) {
        expect(decodeFrame(new Uint8Array(data as Buffer)).cameraId).toBe('cam1');
        received++;
      }
    });
    ws.send(JSON.stringify({ t: 'frames', cameraId: 'cam1', on: true }));
    await expect.poll(() => frameListeners.size).toBe(1);
    (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const jpeg = new Uint8Array(256 * 1024);
    const total = 200;
    for (let i = 0; i < total; i++) for (const l of frameListeners) l({ cameraId: 'cam1', seq: i, pts: i, capturedAt: i, width: 1, height: 1, detections: null, jpeg });
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await expect.poll(() => received, { timeout: 10_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toBeLessThan(total);
    ws.send(JSON.stringify({ t: 'frames', cameraId: 'cam1', on: false }));
    await expect.poll(() => frameListeners.size).toBe(0);
    ws.close();
  });
});
