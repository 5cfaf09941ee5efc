import type { Session, WebContents, WebPreferences } from 'electron';
import { rendererCsp } from '../shared/csp';
import { APP_HOST, APP_SCHEME } from '../shared/ipc/electron-channels';
import type { Logger } from '../engine/logging/logger';

/** The only permission a Watchroom window may get (alarm notifications). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

/** true for URLs of our own renderer (app://watchroom/...). */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    // URL.origin is "null" for non-special schemes in Node, so compare scheme and host.
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** Web preferences of every Watchroom window: isolated, sandboxed, no Node, web security on. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

type SessionLike = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & { webRequest: Pick<Session['webRequest'], 'onHeadersReceived'> };

/** Session-wide locks: deny-by-default permissions and a strict CSP header on every response. */
export function hardenSession(session: SessionLike, logger: Logger): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = (details as { requestingUrl?: string })?.requestingUrl ?? contents?.getURL();
    const ok = ALLOWED_PERMISSIONS.has(permission) && isAppUrl(url);
    if (!ok) logger.warn('permission denied', { permission });
    callback(ok);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin));
  const csp = rendererCsp();
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** The contents already hardened, with the window.open hook their window asked for. */
const hardened = new WeakMap<object, { onOpenRequest?: (url: string) => boolean }>();

/**
 * Per-window locks: no navigation away from app://, no new windows, no webviews. Applied once per webContents:
 * the app hardens every webContents when it is created and a window again when it is built (to pass its
 * window.open hook); the second call only sets that hook, it adds no second set of listeners.
 */
export function hardenWebContents(contents: ContentsLike, logger: Logger, onOpenRequest?: (url: string) => boolean): void {
  const known = hardened.get(contents);
  if (known) {
    if (onOpenRequest) known.onOpenRequest = onOpenRequest;
    return;
  }
  const state: { onOpenRequest?: (url: string) => boolean } = { onOpenRequest };
  hardened.set(contents, state);
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    logger.warn('navigation blocked', { url: url.slice(0, 200) });
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // The renderer may ask for the alarm monitor; main opens its own hardened window for it (still denied here).
    if (state.onOpenRequest?.(url)) return { action: 'deny' };
    logger.warn('window.open blocked', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
}
