import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger';
import { ApiError } from './api-errors';
import type { ApiHandler } from './api-handler';

/** Default port of the desktop app's API listener (`WATCHROOM_API_PORT` overrides it). */
export const DEFAULT_API_PORT = 41780;

export interface ApiListenerOptions {
  handler: ApiHandler;
  logger: Logger;
  /** 0 picks a free port (tests). */
  port: number;
}

/**
 * The desktop app's HTTP API: the same handler the headless host mounts, on its own listener bound to 127.0.0.1
 * (loopback only: the desktop app has no TLS settings). Started and stopped with the admin's setting (`sync`);
 * everything else (`/`, the renderer) is answered 404 in the API's error format by the handler.
 */
export class ApiListener {
  private server: http.Server | null = null;
  private pending: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly o: ApiListenerOptions) {
    this.log = o.logger.child({ component: 'api-listener' });
  }

  /** The bound port while listening, else null. */
  get port(): number | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? (a as AddressInfo).port : null;
  }

  /** Listens when `enabled`, stops otherwise; resolves once done (calls are applied in order). */
  sync(enabled: boolean): Promise<void> {
    this.pending = this.pending.then(() => (enabled ? this.start() : this.stop())).catch((err: unknown) => this.log.error('api listener failed', { err }));
    return this.pending;
  }

  private async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (this.o.handler.handles(path)) return this.o.handler.handle(req, res);
      const body = JSON.stringify(new ApiError(404, 'not-found', 'Only the Watchroom API (/api/v1/, /metrics) is served here.').body(path.slice(0, 200)));
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(body);
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.o.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.log.info('listening', { port: this.port });
  }

  private async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
    this.log.info('stopped');
  }

  dispose(): Promise<void> {
    return this.sync(false);
  }
}
