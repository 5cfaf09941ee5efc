import type { Logger } from '../engine/logging/logger';
import type { Disposable } from '../engine/process/worker-starter';

/** The parts of electron-updater's autoUpdater used here. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown> | null;
  on(event: 'error' | 'update-available' | 'update-not-available', listener: (arg: unknown) => void): unknown;
}

export interface UpdaterOptions {
  /** Lazily loads electron-updater (so a missing/broken module never stops the app). */
  loadAutoUpdater: () => AutoUpdaterLike;
  logger: Logger;
  /** Only packaged apps check for updates. */
  isPackaged: boolean;
  /** Update feed (a site-local file:// or http:// folder); unset = no update checks (offline sites). */
  feedUrl?: string;
  /** Check period, ms (default 6 h). */
  intervalMs?: number;
}

/** Update checks that never download on their own and never crash the app when offline. */
export function startUpdater(o: UpdaterOptions): Disposable {
  const log = o.logger.child({ component: 'updater' });
  if (!o.isPackaged || !o.feedUrl) {
    log.info('update checks off', { reason: o.isPackaged ? 'no WATCHROOM_UPDATE_FEED' : 'development build' });
    return { dispose() {} };
  }
  let updater: AutoUpdaterLike;
  try {
    updater = o.loadAutoUpdater();
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = false;
    updater.setFeedURL({ provider: 'generic', url: o.feedUrl });
    updater.on('error', (err) => log.warn('update check failed', { err }));
    updater.on('update-available', (info) => log.info('update available (not downloaded)', { version: (info as { version?: string })?.version }));
  } catch (err) {
    log.warn('updater unavailable', { err });
    return { dispose() {} };
  }
  const check = () => {
    try {
      const p = updater.checkForUpdates();
      if (p) p.catch((err: unknown) => log.warn('update check failed', { err }));
    } catch (err) {
      log.warn('update check failed', { err });
    }
  };
  check();
  const timer = setInterval(check, o.intervalMs ?? 6 * 3600 * 1000);
  timer.unref();
  return { dispose: () => clearInterval(timer) };
}
