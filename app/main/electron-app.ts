import fs from 'node:fs';
import path from 'node:path';
import type { App, BrowserWindow, Dialog, IpcMain, MessageChannelMain, Protocol, Session, Shell, WebContents } from 'electron';
import { createFileLogger } from '../engine/logging/file-logger';
import { appRoot, workersDir } from '../engine/process/app-paths';
import { WatchroomEngine } from '../engine/services/engine';
import { resolveDataDir } from '../engine/storage/data-dir';
import { registerAppProtocol, registerSchemePrivileges } from './app-protocol';
import { FramePortBridge } from './frame-ports';
import { IpcGateway } from './ipc-gateway';
import { withDesktopFiles } from './desktop-files';
import { hardenSession, hardenWebContents } from './security';
import { startUpdater, type AutoUpdaterLike } from './updater';
import { UtilityProcessStarter, type UtilityProcessModule } from './utility-process-starter';
import { createMainWindow, type BrowserWindowCtor } from './window';
import { bringToFrontOnAlarm, chooseMonitorDisplay, isMonitorRequest, openAlarmMonitorWindow, type ScreenLike } from './alarm-monitor';
import { keyFileSecretBox } from '../engine/storage/key-file-secret-box';
import { ensurePrivateDir } from '../engine/storage/private-files';
import { createApiHandler } from '../engine/http-api/api-handler';
import { ApiListener, DEFAULT_API_PORT } from '../engine/http-api/api-listener';
import { safeStorageSecretBox, type SafeStorageLike } from './safe-storage-box';

/** Everything main takes from electron, injected so the lifecycle is testable without Electron's binary. */
export interface ElectronDeps {
  app: Pick<App, 'requestSingleInstanceLock' | 'on' | 'whenReady' | 'quit' | 'exit' | 'getVersion' | 'isPackaged' | 'setPath'>;
  BrowserWindow: BrowserWindowCtor;
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;
  protocol: Pick<Protocol, 'registerSchemesAsPrivileged' | 'handle'>;
  session: { defaultSession: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'> };
  utilityProcess: UtilityProcessModule;
  MessageChannelMain: new () => MessageChannelMain;
  loadAutoUpdater: () => AutoUpdaterLike;
  /** Displays, for the alarm monitor window (optional: without it the monitor opens on the main display). */
  screen?: ScreenLike;
  /** Encrypts camera credentials at rest with the OS keychain (DPAPI, Keychain, libsecret). */
  safeStorage: SafeStorageLike;
  /** Save dialog and open-with-the-OS for reports and exports (desktop-files.ts; without them those channels explain). */
  dialog?: Pick<Dialog, 'showSaveDialog'>;
  shell?: Pick<Shell, 'openPath'>;
}

type AppState =
  | { type: 'starting' }
  | { type: 'running'; engine: WatchroomEngine; gateway: IpcGateway; frames: FramePortBridge; starter: UtilityProcessStarter; api: ApiListener; window: BrowserWindow | null; monitor?: BrowserWindow | null }
  | { type: 'quitting' }
  | { type: 'done' };

/** The vendor's update signing key shipped with the app (electron-builder.yml extraResources), or null. */
function readUpdatePublicKey(root: string): string | null {
  const resources = (process as { resourcesPath?: string }).resourcesPath ?? path.join(root, 'resources');
  try {
    return fs.readFileSync(path.join(resources, 'update-keys', 'update-signing-public.pem'), 'utf8');
  } catch {
    return null;
  }
}

/** The Electron host: single instance, app:// renderer, one IPC gateway, engine with utility-process workers. */
export function runElectronApp(deps: ElectronDeps, argv: readonly string[] = process.argv): void {
  const { app } = deps;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerSchemePrivileges(deps.protocol);
  const dataDir = resolveDataDir({ argv: argv.slice(1) });
  ensurePrivateDir(dataDir);
  app.setPath('userData', path.join(dataDir, 'electron'));
  const logger = createFileLogger({ dataDir, base: { host: 'electron', pid: process.pid } });
  const root = appRoot();
  let state: AppState = { type: 'starting' };
  let liveStarter: UtilityProcessStarter | null = null;
  process.on('exit', () => liveStarter?.killAll());

  const openWindow = (s: Extract<AppState, { type: 'running' }>) => {
    const win = createMainWindow({ BrowserWindow: deps.BrowserWindow, preloadPath: path.join(root, 'dist', 'preload', 'preload.cjs'), logger, onOpenRequest: (url) => isMonitorRequest(url) && (openMonitor(s), true) });
    s.gateway.addWindow(win.webContents);
    win.on('closed', () => {
      if (state.type === 'running' && state.window === win) state.window = null;
    });
    s.window = win;
  };

  /** The alarm monitor: one window on another display (WATCHROOM_MONITOR_DISPLAY picks one by id). */
  const openMonitor = (s: Extract<AppState, { type: 'running' }>) => {
    if (s.monitor) return s.monitor.focus();
    const preferred = Number(process.env.WATCHROOM_MONITOR_DISPLAY);
    const display = deps.screen ? chooseMonitorDisplay(deps.screen, s.window?.getBounds?.() ?? null, Number.isFinite(preferred) ? preferred : undefined) : { workArea: { x: 0, y: 0, width: 1280, height: 800 } };
    const mon = openAlarmMonitorWindow({ BrowserWindow: deps.BrowserWindow, preloadPath: path.join(root, 'dist', 'preload', 'preload.cjs'), logger, display });
    s.gateway.addWindow(mon.webContents);
    mon.on('closed', () => {
      if (s.monitor === mon) s.monitor = null;
    });
    s.monitor = mon;
  };

  app.on('web-contents-created', (_e, contents: WebContents) => hardenWebContents(contents, logger));
  app.on('second-instance', () => {
    if (state.type !== 'running') return;
    if (!state.window) return openWindow(state);
    if (state.window.isMinimized()) state.window.restore();
    state.window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (state.type === 'done') return;
    event.preventDefault();
    if (state.type === 'quitting') return;
    const s = state;
    state = { type: 'quitting' };
    void (async () => {
      if (s.type === 'running') {
        s.gateway.dispose();
        s.frames.dispose();
        await s.api.dispose();
        await s.engine.dispose().catch((err: unknown) => logger.error('engine dispose failed', { err }));
        s.starter.killAll();
      }
      logger.info('quit');
      logger.close();
      state = { type: 'done' };
      app.quit();
    })();
  });

  void app.whenReady().then(() => {
    try {
      let playbackEngine: WatchroomEngine | null = null;
      registerAppProtocol(deps.protocol, path.join(root, 'dist', 'renderer'), (ticket) => playbackEngine?.playbackFile(ticket) ?? null);
      hardenSession(deps.session.defaultSession, logger);
      const starter = new UtilityProcessStarter({ utilityProcess: deps.utilityProcess, workersDir: workersDir(), logger });
      liveStarter = starter;
      const secretBox = safeStorageSecretBox(deps.safeStorage, () => keyFileSecretBox(dataDir), logger);
      const engine = new WatchroomEngine({ dataDir, workerStarter: starter, logger, hostKind: 'electron', version: app.getVersion(), secretBox });
      engine.start();
      playbackEngine = engine;
      const frames = new FramePortBridge({ createChannel: () => new deps.MessageChannelMain(), subscribeFrames: (id, l) => engine.subscribeFrames(id, l), logger, mayReceive: (wcId) => engine.peerUser(`electron:${wcId}`) !== null });
      const dialog = deps.dialog;
      const shell = deps.shell;
      const dispatch =
        dialog && shell ? withDesktopFiles({ dispatch: engine.dispatch, downloads: engine.downloads, dialog, shell, window: () => (state.type === 'running' ? state.window : null), logger }) : engine.dispatch;
      const gateway = new IpcGateway({ ipcMain: deps.ipcMain, dispatch, onPush: (l) => engine.onPush(l), peerUser: (p) => engine.peerUser(p), releasePeer: (p) => engine.releasePeer(p), logger, onReady: (wc) => frames.connect(wc as WebContents) });
      // The HTTP API (off by default): the same handler as the headless host's, on 127.0.0.1, while the admin's setting is on.
      const api = new ApiListener({ handler: createApiHandler({ engine, logger, version: app.getVersion() }), logger, port: Number(process.env.WATCHROOM_API_PORT) || DEFAULT_API_PORT });
      void api.sync(engine.integrations.apiEnabled());
      engine.integrations.onSettings((s) => void api.sync(s.apiEnabled));
      const running: AppState = { type: 'running', engine, gateway, frames, starter, api, window: null };
      state = running;
      openWindow(running);
      bringToFrontOnAlarm((l) => engine.onPush(l), () => (state.type === 'running' ? [state.window, state.monitor].filter((w): w is BrowserWindow => !!w) : []));
      startUpdater({ loadAutoUpdater: deps.loadAutoUpdater, logger, isPackaged: app.isPackaged, feedUrl: process.env.WATCHROOM_UPDATE_FEED, publicKeyPem: () => readUpdatePublicKey(root) });
    } catch (err) {
      logger.error('start failed', { err });
      process.stderr.write(`Watchroom could not start: ${(err as Error).message}\n`);
      liveStarter?.killAll();
      app.exit(1);
    }
  });
}
