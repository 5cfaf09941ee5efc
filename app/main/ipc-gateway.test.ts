import { describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE, IPC_PUSH, IPC_READY } from '../shared/ipc/electron-channels';
import { nullLogger } from '../engine/logging/logger';
import { createDispatcher } from '../engine/services/dispatcher';
import type { PushListener } from '../engine/services/push-bus';
import { FakeIpcMain, FakeWebContents, ipcEvent } from './__fakes__/electron';
import { IpcGateway, type GatewayContents } from './ipc-gateway';

/** What the fake engine says about every window's session. */
let signedIn: unknown = { name: 'officer' };
const released: string[] = [];

function setup() {
  const ipcMain = new FakeIpcMain();
  const list = vi.fn(() => []);
  const dispatch = vi.fn(
    createDispatcher({
      handlers: { 'cameras:list': list } as never,
      logger: nullLogger,
    }),
  );
  let pushListener: PushListener | null = null;
  const onPush = vi.fn((l: PushListener) => {
    pushListener = l;
    return { dispose: () => (pushListener = null) };
  });
  const onReady = vi.fn();
  const gateway = new IpcGateway({ ipcMain: ipcMain as never, dispatch, onPush, logger: nullLogger, onReady, peerUser: () => signedIn, releasePeer: (p) => released.push(p) });
  const win = new FakeWebContents();
  gateway.addWindow(win as unknown as GatewayContents);
  return { ipcMain, dispatch, list, gateway, win, onReady, push: (e: string, p: unknown) => pushListener?.(e as never, p), hasPush: () => pushListener !== null };
}

describe('IpcGateway', () => {
  it('answers a trusted app:// window with the envelope', async () => {
    const { ipcMain, win, dispatch } = setup();
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win), { channel: 'cameras:list' })).toEqual({ ok: true, value: [] });
    expect(dispatch).toHaveBeenCalledWith('cameras:list', undefined, { peer: `electron:${win.id}` });
  });

  it('refuses foreign senders and frames that are not app://', async () => {
    const { ipcMain, win, dispatch } = setup();
    const stranger = new FakeWebContents();
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(stranger), { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win, 'https://evil.example/'), { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win, null), { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win, 'app://other/index.html'), { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(dispatch).not.toHaveBeenCalled();
    win.destroy();
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win), { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses frames that are not the window\'s main frame, even on app://', async () => {
    const { ipcMain, win, dispatch, onReady } = setup();
    const other = new FakeWebContents();
    // An iframe inside the trusted window, showing our own app:// page or a foreign one.
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win, 'app://watchroom/index.html', 'subframe'), { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win, 'https://evil.example/', 'subframe'), { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The main frame of another (unregistered) webContents, presented as the trusted window's frame.
    expect(await ipcMain.invoke(IPC_INVOKE, { sender: win, senderFrame: other.mainFrame }, { channel: 'cameras:list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ipcMain.send(IPC_READY, ipcEvent(win, 'app://watchroom/index.html', 'subframe'));
    expect(onReady).not.toHaveBeenCalled();
    expect(dispatch).not.toHaveBeenCalled();
    // The window's own main frame still gets its answer.
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win), { channel: 'cameras:list' })).toEqual({ ok: true, value: [] });
  });

  it('refuses invalid payloads with invalid-input', async () => {
    const { ipcMain, win } = setup();
    for (const bad of [null, 'cameras:list', 42, {}, { channel: 'nope' }, { channel: 'cameras:remove', input: { id: '../x' } }]) {
      expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win), bad)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
  });

  it('queues pushes until the renderer is ready, then flushes them in order', () => {
    const { ipcMain, win, push, onReady, hasPush } = setup();
    push('cameras:changed', [1]);
    push('health:update', { n: 2 });
    expect(win.sent).toEqual([]);
    ipcMain.send(IPC_READY, ipcEvent(new FakeWebContents()));
    expect(onReady).not.toHaveBeenCalled();
    ipcMain.send(IPC_READY, ipcEvent(win));
    expect(onReady).toHaveBeenCalledWith(win);
    push('cameras:changed', [3]);
    expect(win.sent).toEqual([
      { channel: IPC_PUSH, args: [{ event: 'cameras:changed', payload: [1] }] },
      { channel: IPC_PUSH, args: [{ event: 'health:update', payload: { n: 2 } }] },
      { channel: IPC_PUSH, args: [{ event: 'cameras:changed', payload: [3] }] },
    ]);
    win.destroy();
    expect(hasPush()).toBe(false);
  });

  it('removes its handlers on dispose', () => {
    const { ipcMain, gateway } = setup();
    gateway.dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.emitter.listenerCount(IPC_READY)).toBe(0);
  });

  it('pushes to signed-in windows only and lets go of the session when a window goes', () => {
    const { win, gateway, push, ipcMain } = setup();
    ipcMain.send(IPC_READY, ipcEvent(win));
    signedIn = null;
    push('cameras:changed', []);
    expect(win.sent).toHaveLength(0);
    signedIn = { name: 'officer' };
    push('cameras:changed', []);
    expect(win.sent).toHaveLength(1);
    gateway.removeWindow(win.id);
    expect(released).toContain(`electron:${win.id}`);
  });
});
