import { describe, expect, it, vi } from 'vitest';
import type { LiveFrame } from '../shared/domain/detection';
import { IPC_FRAME_PORT, IPC_INVOKE, IPC_PUSH, IPC_READY } from '../shared/ipc/electron-channels';
import { createPreloadApi } from './preload-api';

class FakeIpcRenderer {
  readonly listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  readonly sent: string[] = [];
  on(ch: string, l: (...a: unknown[]) => void) {
    this.listeners.set(ch, [...(this.listeners.get(ch) ?? []), l]);
    return this;
  }
  emit(ch: string, ...args: unknown[]) {
    this.listeners.get(ch)?.forEach((l) => l(...args));
  }
  answer: unknown = { ok: true, value: [] };
  invoke = vi.fn(async (_ch: string, _req: unknown) => this.answer);
  send(ch: string) {
    this.sent.push(ch);
  }
}
class FakeRendererPort {
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  readonly posted: unknown[] = [];
  started = false;
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  start() {
    this.started = true;
  }
  close() {}
}

function setup() {
  const ipc = new FakeIpcRenderer();
  const api = createPreloadApi(ipc as never);
  return { ipc, api };
}

describe('preload API', () => {
  it('says ready and invokes through the single gateway channel', async () => {
    const { ipc, api } = setup();
    expect(ipc.sent).toEqual([IPC_READY]);
    await expect(api.invoke('cameras:list')).resolves.toEqual([]);
    expect(ipc.invoke).toHaveBeenCalledWith(IPC_INVOKE, { channel: 'cameras:list', input: undefined });
    ipc.answer = { ok: false, error: { code: 'conflict', message: 'taken' } };
    await expect(api.invoke('cameras:remove', { id: 'a' })).rejects.toMatchObject({ code: 'conflict', message: 'taken' });
  });

  it('rejects unknown channels locally', async () => {
    const { ipc, api } = setup();
    await expect((api.invoke as (c: string) => Promise<unknown>)('shell:exec')).rejects.toMatchObject({ code: 'invalid-input' });
    expect(ipc.invoke).not.toHaveBeenCalled();
    expect(() => (api.on as (e: string, l: () => void) => void)('nope', () => {})).toThrow();
  });

  it('delivers push events until unsubscribed', () => {
    const { ipc, api } = setup();
    const got: unknown[] = [];
    const off = api.on('cameras:changed', (p) => got.push(p));
    ipc.emit(IPC_PUSH, {}, { event: 'cameras:changed', payload: [1] });
    ipc.emit(IPC_PUSH, {}, { event: 'health:update', payload: {} });
    off();
    ipc.emit(IPC_PUSH, {}, { event: 'cameras:changed', payload: [2] });
    expect(got).toEqual([[1]]);
  });

  it('streams frames over the port, acknowledging each, and re-subscribes on a new port', () => {
    const { ipc, api } = setup();
    const frames: LiveFrame[] = [];
    const off = api.subscribeFrames('cam1', (f) => frames.push(f));
    const port = new FakeRendererPort();
    ipc.emit(IPC_FRAME_PORT, { ports: [port] });
    expect(port.started).toBe(true);
    expect(port.posted).toEqual([{ t: 'frames', cameraId: 'cam1', on: true }]);
    const f = { cameraId: 'cam1', seq: 1, pts: 0, capturedAt: 0, width: 1, height: 1, detections: null, jpeg: new Uint8Array(1) };
    port.onmessage!({ data: f });
    expect(frames).toEqual([f]);
    expect(port.posted.at(-1)).toEqual({ t: 'ack', cameraId: 'cam1' });
    off();
    expect(port.posted.at(-1)).toEqual({ t: 'frames', cameraId: 'cam1', on: false });
  });
});

describe('installMainWorldApi', () => {
  it('survives serialisation (executeInMainWorld runs its source text) and keeps error codes', async () => {
    const { createPreloadBridge, installMainWorldApi } = await import('./preload-api');
    const revived = new Function(`return (${installMainWorldApi.toString()})`)() as typeof installMainWorldApi;
    const ipc = new FakeIpcRenderer();
    ipc.answer = { ok: false, error: { code: 'not-found', message: 'gone', details: { x: 1 } } };
    const win: Record<string, unknown> = {};
    revived('watchroom', createPreloadBridge(ipc as never), win);
    const api = win.watchroom as { invoke(c: string, i?: unknown): Promise<unknown> };
    await expect(api.invoke('cameras:remove', { id: 'a' })).rejects.toMatchObject({ code: 'not-found', message: 'gone', details: { x: 1 } });
    expect(() => {
      win.watchroom = null;
    }).toThrow();
  });
});
