import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { rendererCsp } from '../shared/csp';
import { WS_PATH } from '../shared/ipc/ws-protocol';
import type { Logger } from '../engine/logging/logger';
import { allowedOrigins, isLoopback, newToken, presentedToken, tokenCookie } from './access';
import { checkHttpRequest } from './http-request';
import { parseByteRange, playbackTicketOf } from '../engine/static/byte-range';
import { mimeType, resolveStaticFile } from '../engine/static/static-files';
import { WsGateway, type GatewayEngine } from './ws-gateway';
import type { ApiHandler } from '../engine/http-api/api-handler';
import type { DownloadTickets } from '../engine/downloads/download-tickets';
import { DOWNLOAD_PATH } from '../shared/ipc/downloads.contract';

/** Options of the headless host's HTTP + WebSocket server. */
export interface HeadlessHostOptions {
  engine: GatewayEngine;
  logger: Logger;
  /** Built renderer (dist/renderer). */
  rendererDir: string;
  /** Address to bind; loopback unless the operator asked otherwise. */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** Access token; default a fresh random one. */
  token?: string;
  /** TLS certificate and key (PEM). Required to listen beyond loopback. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The HTTP API (`/api/v1/`, `/metrics`; createApiHandler): its requests carry an API token, not the host token. */
  api?: ApiHandler;
  /** The file a playback ticket opens (WatchroomEngine.playbackFile); `/playback/<ticket>.mp4` is 404 without it. */
  playbackFile?: (ticket: string) => string | null;
  /** Download tickets (WatchroomEngine.downloads): `GET /download/<ticket>` sends the report the ticket names. */
  downloads?: Pick<DownloadTickets, 'redeem'>;
}

export interface HeadlessHost {
  /** `http://<host>:<port>/?token=<token>`: opening it sets the token cookie and redirects to `/`. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  /** Closes sockets and the server (the engine is the caller's). */
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The path of a request target (null when it is not one). */
function apiPath(raw: string | undefined): string {
  if (!raw?.startsWith('/')) return '';
  try {
    return new URL(raw, 'http://x').pathname;
  } catch {
    return '';
  }
}

export async function startHeadlessHost(o: HeadlessHostOptions): Promise<HeadlessHost> {
  const host = o.host ?? '127.0.0.1';
  if (!isLoopback(host) && !o.tls) throw new Error(`Listening on ${host} (beyond this machine) needs TLS: pass --tls-cert and --tls-key.`);
  const scheme = o.tls ? 'https' : 'http';
  const token = o.token ?? newToken();
  const log = o.logger.child({ component: 'headless-http' });
  const wildcard = host === '0.0.0.0' || host === '::';
  const gateway = new WsGateway({ engine: o.engine, logger: o.logger.child({ component: 'headless-ws' }) });
  let origins = new Set<string>();
  let csp = rendererCsp();

  const deny = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
    res.end(text);
  };

  /**
   * A report or export, by the single-use ticket `downloads:prepare` gave a signed-in user (the engine checked the
   * role and that the file is inside a report folder); the URL never carries a path.
   */
  const sendDownload = (req: IncomingMessage, res: ServerResponse, ticket: string) => {
    const found = /^[A-Za-z0-9_-]{16,64}$/.test(ticket) ? (o.downloads?.redeem(ticket) ?? null) : null;
    if (!found) return deny(res, 404, 'This download link has expired or was used already. Choose Download again in the app.');
    const stream = fs.createReadStream(found.file);
    stream.once('open', () => {
      res.writeHead(200, {
        'Content-Type': mimeType(found.file),
        'Content-Length': String(found.bytes),
        'Content-Disposition': `attachment; filename="${found.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(found.name)}`,
        'Cache-Control': 'no-store',
        ...SECURITY_HEADERS,
      });
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
      } else stream.pipe(res);
    });
    stream.once('error', (err) => {
      log.warn('download failed', { err });
      if (!res.headersSent) deny(res, 404, 'The file is not there any more.');
      else res.destroy();
    });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    // API requests authenticate with their own bearer token (never the host's cookie, which a browser sends by itself).
    if (o.api && o.api.handles(apiPath(req.url))) return o.api.handle(req, res);
    const refused = checkHttpRequest(req, (origin) => origins.has(origin) || (wildcard && origin === `${scheme}://${req.headers.host ?? ''}`));
    if (refused) return deny(res, refused.status, refused.message);
    const how = presentedToken(req, token);
    if (!how) return deny(res, 403, 'Forbidden: open the address printed by the Watchroom host (it carries ?token=).');
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    if (how === 'query') {
      // The token leaves the address bar and the history at once: the cookie carries it from here on, and the
      // browser follows the redirect to the same page without `?token=`.
      res.writeHead(303, {
        Location: urlPath.replace(/^\/+/, '/'),
        'Set-Cookie': tokenCookie(token, scheme === 'https'),
        'Cache-Control': 'no-store',
        'Content-Length': '0',
        ...SECURITY_HEADERS,
      });
      return void res.end();
    }
    const ticket = playbackTicketOf(urlPath);
    if (ticket) return servePlayback(req, res, ticket);
    if (urlPath.startsWith(DOWNLOAD_PATH)) return sendDownload(req, res, urlPath.slice(DOWNLOAD_PATH.length));
    let file = resolveStaticFile(o.rendererDir, urlPath);
    if (!file && !path.extname(urlPath) && urlPath !== WS_PATH) file = resolveStaticFile(o.rendererDir, '/index.html');
    if (!file) {
      const built = fs.existsSync(path.join(o.rendererDir, 'index.html'));
      return deny(res, built ? 404 : 503, built ? 'Not found.' : 'The renderer is not built: run `npm run build`.');
    }
    const headers: Record<string, string> = {
      'Content-Type': mimeType(file),
      'Content-Security-Policy': csp,
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
      ...SECURITY_HEADERS,
    };
    const stream = fs.createReadStream(file);
    stream.once('open', () => {
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
      } else stream.pipe(res);
    });
    stream.once('error', (err) => {
      log.warn('static file failed', { file, err });
      if (!res.headersSent) deny(res, 500, 'Could not read the file.');
      else res.destroy();
    });
  };

  /**
   * A playback clip with HTTP range requests (the <video> element seeks by asking for byte ranges). It needs the
   * host token like every request here and a ticket `evidence:play` gave a signed-in officer (random, short-lived).
   */
  const servePlayback = (req: IncomingMessage, res: ServerResponse, ticket: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.');
    const file = o.playbackFile?.(ticket) ?? null;
    if (!file) return deny(res, 404, 'This playback has ended: open it again from the timeline.');
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return deny(res, 404, 'This playback has ended: open it again from the timeline.');
    }
    const range = parseByteRange(req.headers.range, size);
    const base = { 'Content-Type': 'video/mp4', 'Accept-Ranges': 'bytes', 'Cache-Control': 'private, no-store', ...SECURITY_HEADERS };
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...base, 'Content-Range': `bytes */${size}` });
      return void res.end();
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    res.writeHead(range ? 206 : 200, { ...base, 'Content-Length': String(end - start + 1), ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}) });
    if (req.method === 'HEAD' || size === 0) return void res.end();
    const stream = fs.createReadStream(file, { start, end });
    stream.once('error', () => res.destroy());
    stream.pipe(res);
  };

  const refuseUpgrade = (socket: Duplex, why: string) => {
    log.warn('websocket refused', { why });
    socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const urlPath = new URL(req.url ?? '/', 'http://x').pathname;
    if (urlPath !== WS_PATH) return refuseUpgrade(socket, 'path');
    if (!presentedToken(req, token)) return refuseUpgrade(socket, 'token');
    const origin = req.headers.origin;
    // Bound to every interface: the host's own origin is whatever address the browser used (the token still gates).
    const sameHost = wildcard && origin !== undefined && origin === `${scheme}://${req.headers.host ?? ''}`;
    if (!origin || !(origins.has(origin) || sameHost)) return refuseUpgrade(socket, `origin ${String(origin).slice(0, 100)}`);
    gateway.handleUpgrade(req, socket, head);
  };

  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' }, onRequest) : http.createServer(onRequest);
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origins = allowedOrigins(host, port, scheme);
  csp = rendererCsp([...origins].map((x) => x.replace(/^http(s?):/, 'ws$1:')));
  const shown = wildcard ? '127.0.0.1' : host;
  const display = shown.includes(':') ? `[${shown}]` : shown;
  const url = `${scheme}://${display}:${port}/?token=${token}`;
  log.info('listening', { host, port });

  let closing: Promise<void> | null = null;
  return {
    url,
    token,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        gateway.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
