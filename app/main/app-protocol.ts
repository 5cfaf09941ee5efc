import fs from 'node:fs';
import type { CustomScheme, Protocol } from 'electron';
import { rendererCsp } from '../shared/csp';
import { APP_HOST, APP_SCHEME } from '../shared/ipc/electron-channels';
import { parseByteRange, playbackTicketOf } from '../engine/static/byte-range';
import { mimeType, resolveStaticFile } from '../engine/static/static-files';

/** Privileges of app:// (registered before `ready`): a standard, secure origin that can fetch. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false },
};

export function registerSchemePrivileges(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/**
 * Serves `app://watchroom/<path>` from the renderer folder; anything else is 404; traversal refused.
 * `app://watchroom/playback/<ticket>.mp4` is a playback clip (`playbackFile`: the engine's ticket → file), with
 * byte ranges so the <video> element can seek, exactly as the headless host serves `/playback/<ticket>.mp4`.
 */
export function createAppProtocolHandler(rendererDir: string, playbackFile?: (ticket: string) => string | null): (request: Request) => Promise<Response> {
  const csp = rendererCsp();
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const ticket = playbackTicketOf(url.pathname);
    if (ticket) return playbackResponse(playbackFile?.(ticket) ?? null, request.headers.get('range'));
    const file = resolveStaticFile(rendererDir, url.pathname) ?? (!/\.[a-z0-9]+$/i.test(url.pathname) ? resolveStaticFile(rendererDir, '/index.html') : null);
    if (!file) return new Response('Not found', { status: 404 });
    const body = await fs.promises.readFile(file);
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' },
    });
  };
}

/** A playback clip, whole (200) or one byte range (206); 416 outside the file; 404 for an unknown ticket. */
async function playbackResponse(file: string | null, rangeHeader: string | null): Promise<Response> {
  const gone = () => new Response('This playback has ended: open it again from the timeline.', { status: 404 });
  if (!file) return gone();
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return gone();
  }
  try {
    const size = (await handle.stat()).size;
    const range = parseByteRange(rangeHeader, size);
    const base = { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` } });
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const body = Buffer.alloc(Math.max(0, end - start + 1));
    if (body.length) await handle.read(body, 0, body.length, start);
    return new Response(body, { status: range ? 206 : 200, headers: { ...base, 'Content-Length': String(body.length), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) } });
  } finally {
    await handle.close();
  }
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string, playbackFile?: (ticket: string) => string | null): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, playbackFile));
}
