import { API_GLOBAL, type WatchroomApi } from '../../../shared/api';
import { WS_PATH } from '../../../shared/ipc/ws-protocol';
import type { ConnectionAware } from './connection-status';
import { WsApiClient, type SocketLike } from './ws-client';

/** The API plus its connection status, whichever host serves the renderer. */
export type HostApi = WatchroomApi & ConnectionAware;

const TOKEN_KEY = 'watchroom.token';

/** Reads the access token from `?token=` (remembering it for reloads) or from sessionStorage. */
export function resolveToken(search: string, storage: Pick<Storage, 'getItem' | 'setItem'> | null): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_KEY, fromUrl);
    } catch {}
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * Builds the WebSocket URL of the headless host from the page location. Without a token the host's HttpOnly
 * cookie (set on the first `?token=` visit) authorises the upgrade.
 */
export function wsUrl(loc: { protocol: string; host: string }, token: string | null): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${WS_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/**
 * Picks the transport: the Electron preload's `window.watchroom` when present, else the WebSocket client of
 * the headless host. The only place in the renderer that reads `window` globals for the API.
 */
export function selectApi(): HostApi {
  const w = window as unknown as Record<string, unknown>;
  const preload = w[API_GLOBAL] as WatchroomApi | undefined;
  if (preload) {
    const since = Date.now();
    return {
      invoke: preload.invoke.bind(preload) as WatchroomApi['invoke'],
      on: preload.on.bind(preload) as WatchroomApi['on'],
      subscribeFrames: preload.subscribeFrames.bind(preload),
      status: () => ({ state: 'open', since }),
      onStatus: () => () => {},
    };
  }
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {}
  const token = resolveToken(window.location.search, storage);
  // The host redirects `?token=` away itself; should a page still show it, it leaves the address bar and history.
  if (new URLSearchParams(window.location.search).has('token')) {
    try {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.hash}`);
    } catch {}
  }
  return new WsApiClient({ url: wsUrl(window.location, token), createSocket: (u) => new WebSocket(u) as unknown as SocketLike });
}
