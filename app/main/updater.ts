import type { Logger } from '../engine/logging/logger';
import type { Disposable } from '../engine/process/worker-starter';
import { feedFolder, serveUpdateFolder, type UpdateFeedServer } from './update-feed';

/** The parts of electron-updater's autoUpdater used here. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown> | null;
  downloadUpdate?(): Promise<unknown>;
  on(event: 'error' | 'update-available' | 'update-not-available' | 'update-downloaded', listener: (arg: unknown) => void): unknown;
}

export interface UpdaterOptions {
  /** Lazily loads electron-updater (so a missing/broken module never stops the app). */
  loadAutoUpdater: () => AutoUpdaterLike;
  logger: Logger;
  /** Only packaged apps check for updates. */
  isPackaged: boolean;
  /**
   * WATCHROOM_UPDATE_FEED: a folder (path or file:// URL: USB stick, site share) holding a signed feed, served by
   * the app itself (update-feed.ts), or an https:// URL (checked, never downloaded by itself). Unset: no checks.
   */
  feedUrl?: string;
  /** The vendor's Ed25519 public key (PEM) that feed folders must be signed with; null: folders are refused. */
  publicKeyPem?: () => string | null;
  /** Check period, ms (default 6 h). */
  intervalMs?: number;
}

/**
 * Update checks that never crash the app when offline. A signed feed folder is the offline path: an update
 * found there is downloaded (from 127.0.0.1) and installed when the app next quits; electron-updater checks the
 * installer's SHA-512 from the signed yml first. An https feed is only checked and logged.
 */
export function startUpdater(o: UpdaterOptions): Disposable {
  const log = o.logger.child({ component: 'updater' });
  if (!o.isPackaged || !o.feedUrl) {
    log.info('update checks off', { reason: o.isPackaged ? 'no WATCHROOM_UPDATE_FEED' : 'development build' });
    return { dispose() {} };
  }
  const folder = feedFolder(o.feedUrl);
  if (!folder && !/^https:\/\//i.test(o.feedUrl)) {
    log.warn('update checks off: the feed must be a folder (signed) or an https:// address', { feed: o.feedUrl });
    return { dispose() {} };
  }
  const publicKey = folder ? (o.publicKeyPem?.() ?? null) : null;
  if (folder && !publicKey) {
    log.warn('update checks off: this build has no update signing key, so a feed folder cannot be verified', { feed: folder });
    return { dispose() {} };
  }
  let updater: AutoUpdaterLike;
  try {
    updater = o.loadAutoUpdater();
    updater.autoDownload = false;
    updater.autoInstallOnAppQuit = false;
    updater.on('error', (err) => log.warn('update check failed', { err }));
    updater.on('update-available', (info) => {
      const version = (info as { version?: string })?.version;
      if (!folder || !updater.downloadUpdate) return void log.info('update available (not downloaded)', { version });
      log.info('update available in the signed feed folder: downloading', { version });
      updater.downloadUpdate().catch((err: unknown) => log.warn('update download failed', { err }));
    });
    updater.on('update-downloaded', (info) => {
      updater.autoInstallOnAppQuit = true;
      log.info('update downloaded and verified; it is installed when Watchroom next quits', { version: (info as { version?: string })?.version });
    });
  } catch (err) {
    log.warn('updater unavailable', { err });
    return { dispose() {} };
  }
  let disposed = false;
  let server: UpdateFeedServer | null = null;
  let timer: NodeJS.Timeout | null = null;
  const check = () => {
    try {
      const p = updater.checkForUpdates();
      if (p) p.catch((err: unknown) => log.warn('update check failed', { err }));
    } catch (err) {
      log.warn('update check failed', { err });
    }
  };
  const begin = (url: string) => {
    if (disposed) return;
    updater.setFeedURL({ provider: 'generic', url });
    check();
    timer = setInterval(check, o.intervalMs ?? 6 * 3600 * 1000);
    timer.unref();
  };
  if (folder) {
    serveUpdateFolder({ dir: folder, publicKeyPem: publicKey!, logger: o.logger })
      .then((s) => {
        server = s;
        if (disposed) return void s.close();
        begin(s.url);
      })
      .catch((err: unknown) => log.warn('update folder could not be served', { err }));
  } else begin(o.feedUrl);
  return {
    dispose: () => {
      disposed = true;
      if (timer) clearInterval(timer);
      void server?.close();
    },
  };
}
