import { API_GLOBAL, type WatchroomApi } from '../../../shared/api';
import { WS_PATH } from '../../../shared/ipc/ws-protocol';
import type { ConnectionAware, ConnectionStatus } from './connection-status';
import { WsApiClient } from './ws-client';

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

/** Builds the WebSocket URL of the headless host from the page location. */
export function wsUrl(loc: { protocol: string; host: string }, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}

/** A never-connecting API used when the renderer cannot reach any host (no token). */
function failedApi(reason: string): HostApi {
  const status: ConnectionStatus = { state: 'failed', reason };
  return {
    invoke: () => Promise.reject(Object.assign(new Error(reason), { code: 'forbidden' })),
    on: () => () => {},
    subscribeFrames: () => () => {},
    status: () => status,
    onStatus: () => () => {},
  } as HostApi;
}

/**
 * Picks the transport: the Electron preload's `window.watchroom` when present, else the WebSocket client of
 * the headless host. The only place in the renderer that reads `window` globals for the API.
 */
export function selectApi(noTokenMessage: string): HostApi {
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
  if (!token) return failedApi(noTokenMessage);
  return new WsApiClient({ url: wsUrl(window.location, token), createSocket: (u) => new WebSocket(u) as unknown as import('./ws-client').SocketLike });
}
