import type { BrowserWindow, Rectangle } from 'electron';
import type { PushListener } from '../engine/services/push-bus';
import type { Disposable } from '../engine/process/worker-starter';
import type { Logger } from '../engine/logging/logger';
import { hardenWebContents, secureWebPreferences } from './security';
import { RENDERER_ENTRY, type BrowserWindowCtor } from './window';

/** The parts of Electron's `screen` this module uses (a fake in tests). */
export interface ScreenLike {
  getAllDisplays(): Array<{ id: number; workArea: Rectangle }>;
  getDisplayMatching(rect: Rectangle): { id: number; workArea: Rectangle };
}

/** What bringing a window to the front needs (BrowserWindow, or a fake). */
export type AttentionWindow = Pick<BrowserWindow, 'isMinimized' | 'restore' | 'show' | 'focus'> & Partial<Pick<BrowserWindow, 'flashFrame' | 'moveTop'>>;

/** URL of the alarm monitor page (hash route of the same renderer). */
export const MONITOR_URL = `${RENDERER_ENTRY}#/monitor`;

/** The renderer asked for the monitor (window.open of the app's own `#/monitor`); anything else is not. */
export function isMonitorRequest(url: string): boolean {
  return url.startsWith(RENDERER_ENTRY) && url.endsWith('#/monitor');
}

/**
 * The display for the alarm monitor: the chosen one (WATCHROOM_MONITOR_DISPLAY / a setting) when present, else
 * the first display that is not the main window's, else the main window's own.
 */
export function chooseMonitorDisplay(screen: ScreenLike, mainBounds: Rectangle | null, preferredId?: number): { id: number; workArea: Rectangle } {
  const all = screen.getAllDisplays();
  const preferred = preferredId !== undefined ? all.find((d) => d.id === preferredId) : undefined;
  if (preferred) return preferred;
  const main = mainBounds ? screen.getDisplayMatching(mainBounds) : all[0]!;
  return all.find((d) => d.id !== main.id) ?? main;
}

export interface MonitorWindowOptions {
  BrowserWindow: BrowserWindowCtor;
  preloadPath: string;
  logger: Logger;
  display: { workArea: Rectangle };
}

/** A second, equally locked-down window on the chosen display, showing `#/monitor`. */
export function openAlarmMonitorWindow(o: MonitorWindowOptions): BrowserWindow {
  const a = o.display.workArea;
  const win = new o.BrowserWindow({
    x: a.x,
    y: a.y,
    width: a.width,
    height: a.height,
    show: false,
    backgroundColor: '#0b0f14',
    title: 'Watchroom — alarm monitor',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(o.preloadPath),
  });
  hardenWebContents(win.webContents, o.logger);
  win.once('ready-to-show', () => {
    win.show();
    win.maximize?.();
  });
  void win.loadURL(MONITOR_URL).catch((err: unknown) => o.logger.error('alarm monitor failed to load', { err }));
  return win;
}

/**
 * Bring-to-front in Electron: when an alarm opens or escalates, the app's windows are restored, shown and
 * focused (and the taskbar entry flashes), so an officer on another application still sees it.
 */
export function bringToFrontOnAlarm(onPush: (l: PushListener) => Disposable, windows: () => readonly AttentionWindow[]): Disposable {
  return onPush((event, payload) => {
    if (event !== 'alarms:changed') return;
    const action = (payload as { action?: string }).action;
    if (action !== 'open' && action !== 'escalate') return;
    for (const w of windows()) {
      if (w.isMinimized()) w.restore();
      w.show();
      w.moveTop?.();
      w.focus();
      w.flashFrame?.(true);
    }
  });
}
