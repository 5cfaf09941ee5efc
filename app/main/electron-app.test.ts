import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IPC_INVOKE } from '../shared/ipc/electron-channels';
import { FakeBrowserWindow, FakeIpcMain, FakeMessageChannel, FakeSession, FakeUtilityProcessModule, ipcEvent, FakeSafeStorage } from './__fakes__/electron';
import { runElectronApp, type ElectronDeps } from './electron-app';

class FakeApp extends EventEmitter {
  lock = true;
  quits = 0;
  exitCode: number | null = null;
  paths: Record<string, string> = {};
  isPackaged = false;
  requestSingleInstanceLock() {
    return this.lock;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    this.quits++;
    const e = { prevented: false, preventDefault() { this.prevented = true; } };
    this.emit('before-quit', e);
    if (!e.prevented) this.emit('quit');
  }
  exit(code: number) {
    this.exitCode = code;
  }
  getVersion() {
    return '9.9.9';
  }
  setPath(name: string, p: string) {
    this.paths[name] = p;
  }
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function launch(lock = true) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-electron-'));
  dirs.push(dataDir);
  const app = new FakeApp();
  app.lock = lock;
  const ipcMain = new FakeIpcMain();
  const handled: string[] = [];
  const deps = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    protocol: { registerSchemesAsPrivileged: () => {}, handle: (s: string) => handled.push(s) },
    session: { defaultSession: new FakeSession() },
    utilityProcess: new FakeUtilityProcessModule(),
    MessageChannelMain: FakeMessageChannel,
    loadAutoUpdater: () => {
      throw new Error('not in tests');
    },
    safeStorage: new FakeSafeStorage(),
  } as unknown as ElectronDeps;
  FakeBrowserWindow.instances = [];
  runElectronApp(deps, ['electron', '.', '--data-dir', dataDir]);
  return { app, ipcMain, handled, dataDir };
}

describe('Electron app lifecycle (fakes)', () => {
  it('quits at once when another instance holds the lock', () => {
    const { app } = launch(false);
    expect(app.quits).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('starts the engine, opens one secure window wired to the gateway, and disposes on quit', async () => {
    const { app, ipcMain, handled, dataDir } = launch();
    await new Promise((r) => setImmediate(r));
    expect(app.exitCode).toBeNull();
    expect(handled).toEqual(['app']);
    expect(app.paths.userData).toBe(path.join(dataDir, 'electron'));
    const [win] = FakeBrowserWindow.instances;
    expect(win?.loadedUrl).toBe('app://watchroom/index.html');
    // Signed out, the window gets nothing but the sign-in channels; the first run creates the admin.
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win!.webContents), { channel: 'app:info' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win!.webContents), { channel: 'auth:setup', input: { name: 'admin', password: 'a long password' } })).toMatchObject({ ok: true });
    const info = await ipcMain.invoke(IPC_INVOKE, ipcEvent(win!.webContents), { channel: 'app:info' });
    expect(info).toMatchObject({ ok: true, value: { host: 'electron', version: '9.9.9', dataDir } });

    app.emit('second-instance');
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win!.focused).toBe(1);

    app.quit();
    await expect.poll(() => app.quits, { timeout: 10_000 }).toBe(2);
    expect(await ipcMain.invoke(IPC_INVOKE, ipcEvent(win!.webContents), { channel: 'app:info' }).catch((e: Error) => e.message)).toMatch(/No handler/);
    expect(fs.existsSync(path.join(dataDir, 'watchroom.db'))).toBe(true);
  });
});
