import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { APP_ORIGIN } from '../shared/ipc/electron-channels';
import type { Logger } from '../engine/logging/logger';
import { hardenWebContents, secureWebPreferences } from './security';

/** The BrowserWindow constructor (injected so tests pass a fake). */
export type BrowserWindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export interface MainWindowOptions {
  BrowserWindow: BrowserWindowCtor;
  /** Absolute path of dist/preload/preload.cjs. */
  preloadPath: string;
  logger: Logger;
  /** window.open from the renderer: returns true when main handled it (the alarm monitor). */
  onOpenRequest?: (url: string) => boolean;
}

/** Entry page of the renderer. */
export const RENDERER_ENTRY = `${APP_ORIGIN}/index.html`;

/** Creates the control-room window with the security settings of security.ts and loads the renderer. */
export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new o.BrowserWindow({
    width: 1600,
    height: 960,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'Watchroom',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(o.preloadPath),
  });
  hardenWebContents(win.webContents, o.logger, o.onOpenRequest);
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_e, details) => o.logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode }));
  void win.loadURL(RENDERER_ENTRY).catch((err: unknown) => o.logger.error('renderer failed to load', { err }));
  return win;
}
