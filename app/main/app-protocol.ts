import fs from 'node:fs';
import type { CustomScheme, Protocol } from 'electron';
import { rendererCsp } from '../shared/csp';
import { APP_HOST, APP_SCHEME } from '../shared/ipc/electron-channels';
import { mimeType, resolveStaticFile } from '../engine/static/static-files';

/** Privileges of app:// (registered before `ready`): a standard, secure origin that can fetch. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: false, bypassCSP: false, allowServiceWorkers: false },
};

export function registerSchemePrivileges(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** Serves `app://watchroom/<path>` from the renderer folder; anything else is 404; traversal refused. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const csp = rendererCsp();
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || request.method !== 'GET') return new Response('Not found', { status: 404 });
    const file = resolveStaticFile(rendererDir, url.pathname) ?? (!/\.[a-z0-9]+$/i.test(url.pathname) ? resolveStaticFile(rendererDir, '/index.html') : null);
    if (!file) return new Response('Not found', { status: 404 });
    const body = await fs.promises.readFile(file);
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' },
    });
  };
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}
