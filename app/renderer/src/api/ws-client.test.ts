import { describe, expect, it } from 'vitest';
import type { LiveFrame } from '../../../shared/domain/detection';
import { encodeFrame } from '../../../shared/ipc/frame-codec';
import type { ClientMessage } from '../../../shared/ipc/ws-protocol';
import { ApiError } from './api-error';
import type { ConnectionStatus } from './connection-status';
import { resolveToken, wsUrl } from './select-api';
import { WsApiClient, type ClientTimers, type SocketLike } from './ws-client';

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  sent: ClientMessage[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  onmessage: SocketLike['onmessage'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(reason = 'gone') {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason });
  }
  reply(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  binary(bytes: Uint8Array) {
    const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    this.onmessage?.({ data: buf });
  }
}

class FakeClock implements ClientTimers {
  t = 1_000;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  advance(ms: number) {
    const end = this.t + ms;
    for (let i = 0; i < 1000; i++) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

function setup(opts: { requestTimeoutMs?: number } = {}) {
  const sockets: FakeSocket[] = [];
  const clock = new FakeClock();
  const client = new WsApiClient({
    url: 'ws://127.0.0.1:1/api?token=x',
    createSocket: (u) => {
      const s = new FakeSocket(u);
      sockets.push(s);
      return s;
    },
    timers: clock,
    requestTimeoutMs: opts.requestTimeoutMs ?? 5_000,
    initialBackoffMs: 500,
    maxBackoffMs: 4_000,
  });
  const statuses: ConnectionStatus[] = [];
  client.onStatus((s) => statuses.push(s));
  const last = () => sockets[sockets.length - 1]!;
  return { client, sockets, clock, statuses, last };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('WsApiClient', () => {
  it('queues a request until the socket opens, then resolves it by id', async () => {
    const { client, last } = setup();
    expect(last().binaryType).toBe('arraybuffer');
    const p = client.invoke('app:info');
    expect(last().sent).toEqual([]);
    last().open();
    expect(last().sent).toEqual([{ t: 'invoke', id: 1, channel: 'app:info' }]);
    last().reply({ t: 'result', id: 1, ok: true, value: { host: 'headless', version: '1', dataDir: '/d', platform: 'linux' } });
    await expect(p).resolves.toMatchObject({ host: 'headless' });
  });

  it('sends the input and rejects with an ApiError carrying code and details', async () => {
    const { client, last } = setup();
    last().open();
    const p = client.invoke('cameras:remove', { id: 'c1' });
    expect(last().sent[0]).toEqual({ t: 'invoke', id: 1, channel: 'cameras:remove', input: { id: 'c1' } });
    last().reply({ t: 'result', id: 1, ok: false, error: { code: 'not-found', message: 'No such camera.', details: { id: 'c1' } } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'not-found', message: 'No such camera.', details: { id: 'c1' } });
  });

  it('times a request out', async () => {
    const { client, last, clock } = setup({ requestTimeoutMs: 2_000 });
    last().open();
    const p = client.invoke('health:get');
    clock.advance(2_001);
    await expect(p).rejects.toMatchObject({ code: 'timeout' });
    // a late answer is ignored
    last().reply({ t: 'result', id: 1, ok: true, value: {} });
  });

  it('dispatches pushes to listeners until they unsubscribe', () => {
    const { client, last } = setup();
    last().open();
    const got: unknown[] = [];
    const off = client.on('cameras:state', (p) => got.push(p));
    last().reply({ t: 'push', event: 'cameras:state', payload: { id: 'c1', state: { type: 'disabled' } } });
    last().reply({ t: 'push', event: 'health:update', payload: {} });
    off();
    last().reply({ t: 'push', event: 'cameras:state', payload: { id: 'c2', state: { type: 'disabled' } } });
    expect(got).toEqual([{ id: 'c1', state: { type: 'disabled' } }]);
  });

  it('decodes binary frames and dispatches them per camera; subscribes on first and unsubscribes on last listener', () => {
    const { client, last } = setup();
    last().open();
    const a: LiveFrame[] = [];
    const b: LiveFrame[] = [];
    const offA = client.subscribeFrames('c1', (f) => a.push(f));
    const offB = client.subscribeFrames('c1', (f) => b.push(f));
    expect(last().sent).toEqual([{ t: 'frames', cameraId: 'c1', on: true }]);
    const header = { cameraId: 'c1', seq: 7, pts: 0.7, capturedAt: 1, width: 4, height: 3, detections: [] };
    last().binary(encodeFrame(header, new Uint8Array([0xff, 0xd8, 0xff, 0xd9])));
    last().binary(encodeFrame({ ...header, cameraId: 'c2' }, new Uint8Array([1])));
    last().binary(new Uint8Array([1, 2])); // malformed: ignored
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ seq: 7, pts: 0.7 });
    expect([...a[0]!.jpeg]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(b).toHaveLength(1);
    offA();
    expect(last().sent).toHaveLength(1);
    offB();
    offB(); // idempotent
    expect(last().sent).toEqual([
      { t: 'frames', cameraId: 'c1', on: true },
      { t: 'frames', cameraId: 'c1', on: false },
    ]);
  });

  it('reconnects with growing backoff, fails requests in flight and resubscribes frames after reconnect', async () => {
    const { client, sockets, last, clock, statuses } = setup();
    last().open();
    client.subscribeFrames('c9', () => {});
    const inflight = client.invoke('cameras:list');
    last().drop('host restarted');
    await expect(inflight).rejects.toMatchObject({ code: 'disconnected' });
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 1, retryAt: clock.t + 500, reason: 'host restarted' });
    clock.advance(500);
    expect(sockets).toHaveLength(2);
    last().drop(); // refused again: the delay doubles
    expect(statuses.at(-1)).toMatchObject({ state: 'reconnecting', attempt: 2, retryAt: clock.t + 1000 });
    const queued = client.invoke('cameras:list');
    clock.advance(1000);
    expect(sockets).toHaveLength(3);
    last().open();
    expect(statuses.at(-1)).toMatchObject({ state: 'open' });
    expect(last().sent).toEqual([
      { t: 'frames', cameraId: 'c9', on: true },
      { t: 'invoke', id: 2, channel: 'cameras:list' },
    ]);
    last().reply({ t: 'result', id: 2, ok: true, value: [] });
    await expect(queued).resolves.toEqual([]);
    await flush();
  });

  it('caps the backoff and stops everything on dispose', async () => {
    const { client, sockets, last, clock } = setup();
    for (let i = 0; i < 6; i++) {
      last().drop();
      clock.advance(4_000);
    }
    expect(sockets).toHaveLength(7);
    const p = client.invoke('app:info');
    client.dispose();
    await expect(p).rejects.toMatchObject({ code: 'disconnected' });
    expect(last().closed).toBe(true);
    clock.advance(60_000);
    expect(sockets).toHaveLength(7);
    await expect(client.invoke('app:info')).rejects.toBeInstanceOf(ApiError);
  });
});

describe('token and URL', () => {
  it('takes the token from the query and remembers it, else from storage', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    expect(resolveToken('?token=abc', storage)).toBe('abc');
    expect(resolveToken('', storage)).toBe('abc');
    expect(resolveToken('', null)).toBeNull();
  });
  it('builds ws and wss URLs on the page host', () => {
    expect(wsUrl({ protocol: 'http:', host: '127.0.0.1:8080' }, 'a b')).toBe('ws://127.0.0.1:8080/api?token=a%20b');
    expect(wsUrl({ protocol: 'https:', host: 'h' }, 't')).toBe('wss://h/api?token=t');
    expect(wsUrl({ protocol: 'http:', host: 'h' }, null)).toBe('ws://h/api');
  });
});
