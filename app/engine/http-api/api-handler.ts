import type { IncomingMessage, ServerResponse } from 'node:http';
import { PERMISSIONS, roleAllows } from '../../shared/auth/permissions';
import type { Actor } from '../../shared/domain/user';
import type { ApiTokenView } from '../../shared/ipc/integrations.contract';
import type { Logger } from '../logging/logger';
import type { WatchroomEngine } from '../services/engine';
import { ApiError } from './api-errors';
import { API_ROUTES, type ApiRoute, type ChannelCall } from './api-routes';
import { prometheusText, type MetricsSnapshot } from './metrics';
import { buildOpenApiDocument, METRICS_PATH, OPENAPI_PATH } from './openapi';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateClass, type RateLimit } from './rate-limits';

/** What the API needs of the engine. */
export type ApiEngine = Pick<WatchroomEngine, 'dispatch' | 'integrations' | 'auth' | 'handlers' | 'frameLatency'>;

export interface ApiHandlerOptions {
  engine: ApiEngine;
  logger: Logger;
  /** Application version (the OpenAPI document's). */
  version: string;
  /** On for this run whatever the admin setting says (`npm run serve -- --api`); default: the setting decides. */
  forceEnabled?: boolean;
  /** Overrides of the default limits (tests lower them). */
  rateLimits?: Partial<Record<RateClass, RateLimit>>;
  now?: () => number;
}

export interface ApiHandler {
  /** Whether this path belongs to the API (`/api/...`, `/metrics`): the host hands the request over. */
  handles(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** Largest accepted body. */
const MAX_BODY = 64 * 1024;
const HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  names: string[];
}

const compile = (route: ApiRoute): CompiledRoute => {
  const names: string[] = [];
  const src = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, n: string) => (names.push(n), '([A-Za-z0-9_-]{1,64})'));
  return { route, pattern: new RegExp(`^${src}$`), names };
};

/** The actor an API token acts as: audit rows read `api:<integration>`. */
export const tokenActor = (t: ApiTokenView): Actor => ({ userId: `api-token:${t.id}`, name: `api:${t.name}`, role: t.role });

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'payload-too-large', `The body is larger than ${MAX_BODY / 1024} KiB.`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The HTTP API (`/api/v1/`, `/metrics`) over the engine's one dispatcher. Per request: is the API on, the bearer
 * token (refused: 401; bad tokens are throttled per client address like failed sign-ins), the rate limit of the
 * token on this endpoint (429 with Retry-After), the route, the token's role against the route's channels (403
 * before any parsing), the query and JSON body, the four-eyes rule (an action the site put under it cannot be
 * done by a token), then the dispatcher, which applies the permission matrix, the contract's schema and the
 * audit trail exactly as for a signed-in user (the token acts as `api:<integration>` with its role).
 */
export function createApiHandler(o: ApiHandlerOptions): ApiHandler {
  const log = o.logger.child({ component: 'http-api' });
  const now = o.now ?? Date.now;
  const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...o.rateLimits }, now);
  const routes = API_ROUTES.map(compile);
  let openapi: string | null = null;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...HEADERS, ...headers });
    res.end(text);
  };
  const fail = (res: ServerResponse, path: string, err: ApiError, headers: Record<string, string> = {}) => send(res, err.status, err.body(path, new Date(now())), { ...headers, ...err.headers });

  const enabled = (): boolean => o.forceEnabled === true || o.engine.integrations.apiEnabled();

  const authenticate = (req: IncomingMessage): ApiTokenView => {
    const m = /^Bearer ([\x21-\x7e]{1,200})$/.exec(req.headers.authorization ?? '');
    const verdict = m ? o.engine.integrations.tokens.verify(m[1]!) : ({ ok: false, why: 'missing' } as const);
    if (verdict.ok) return verdict.token;
    // Wrong tokens count per client address like failed sign-ins; a valid token is never held up by them (on
    // loopback every integration shares one address).
    const address = req.socket.remoteAddress ?? 'unknown';
    const held = limiter.take('auth-failure', address);
    log.info('token refused', { why: verdict.why, address });
    if (!held.allowed) throw new ApiError(429, 'rate-limited', `Too many requests with a wrong token: try again in ${held.resetS} s.`, null, held.headers);
    throw new ApiError(401, 'unauthorized', 'A valid API token is needed: send `Authorization: Bearer <token>`.', null, { 'WWW-Authenticate': 'Bearer realm="watchroom"' });
  };

  const metrics = async (token: ApiTokenView): Promise<string> => {
    if (!roleAllows(token.role, 'health:get')) throw new ApiError(403, 'forbidden', `The token's role (${token.role}) does not allow metrics.`);
    const h = o.engine.handlers;
    const ctx = { peer: `api:${token.id}`, user: tokenActor(token) };
    const exp = await h['export:list'](undefined, ctx);
    const mem = process.memoryUsage();
    const cpu = process.cpuUsage();
    const snapshot: MetricsSnapshot = {
      health: await h['health:get'](undefined, ctx),
      alarms: o.engine.integrations.alarmCounts(),
      sinks: exp.sinks.map((s) => ({ id: s.id, name: s.name, backlog: s.status.backlog, deadLetters: s.status.deadLetters, dropped: s.status.dropped })),
      outbox: exp.outbox,
      latency: o.engine.frameLatency.snapshot(),
      process: { cpuSecondsTotal: (cpu.user + cpu.system) / 1e6, residentBytes: mem.rss, heapUsedBytes: mem.heapUsed, startTimeSeconds: Math.round(Date.now() / 1000 - process.uptime()) },
    };
    return prometheusText(snapshot);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const path = url.pathname;
    if (!enabled()) throw new ApiError(404, 'api-off', 'The HTTP API is off: an admin turns it on in Settings → Integrations.');
    if (path === OPENAPI_PATH) {
      if (req.method !== 'GET') throw new ApiError(405, 'method-not-allowed', 'Only GET.', null, { Allow: 'GET' });
      openapi ??= JSON.stringify(buildOpenApiDocument(o.version));
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...HEADERS });
      return void res.end(openapi);
    }
    const token = authenticate(req);
    if (path === METRICS_PATH) {
      if (req.method !== 'GET') throw new ApiError(405, 'method-not-allowed', 'Only GET.', null, { Allow: 'GET' });
      const rate = limiter.take('read', `${token.id} metrics`);
      if (!rate.allowed) throw new ApiError(429, 'rate-limited', `Too many requests: try again in ${rate.resetS} s.`, null, rate.headers);
      const text = await metrics(token);
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', ...HEADERS, ...rate.headers });
      return void res.end(text);
    }
    const matching = routes.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m);
    if (!matching.length) throw new ApiError(404, 'not-found', 'No such API resource.');
    const hit = matching.find((x) => x.r.route.method === req.method);
    if (!hit) throw new ApiError(405, 'method-not-allowed', `Use ${matching.map((x) => x.r.route.method).join(' or ')}.`, null, { Allow: matching.map((x) => x.r.route.method).join(', ') });
    const { route, names } = hit.r;
    const params = Object.fromEntries(names.map((n, i) => [n, hit.m![i + 1]!]));
    // Exports count per token across the endpoint class; everything else per token and endpoint.
    const rate = limiter.take(route.rate, route.rate === 'export' ? `${token.id} export` : `${token.id} ${route.operationId}`);
    const answer = (status: number, body: unknown) => send(res, status, body, rate.headers);
    if (!rate.allowed) throw new ApiError(429, 'rate-limited', `Too many requests: try again in ${rate.resetS} s.`, null, rate.headers);
    try {
      // The matrix before anything is parsed: a caller without the right learns nothing about the schema.
      const refused = route.channels.find((c) => !roleAllows(token.role, c));
      if (refused) throw new ApiError(403, 'forbidden', `The token's role (${token.role}) does not allow this.`, { reason: 'role' });
      const fourEyes = route.channels.find((c) => PERMISSIONS[c].confirm === 'four-eyes' && o.engine.auth.fourEyesFor(c));
      if (fourEyes) throw new ApiError(403, 'forbidden', 'The site needs a second person\u2019s approval for this: do it in the app.', { reason: 'four-eyes' });
      const keys = [...url.searchParams.keys()];
      if (new Set(keys).size !== keys.length) throw new ApiError(400, 'invalid-input', 'A query parameter is given twice.');
      let query: Record<string, unknown> = {};
      if (route.query) {
        const q = route.query.safeParse(Object.fromEntries(url.searchParams));
        if (!q.success) throw new ApiError(400, 'invalid-input', q.error.issues[0]?.message ?? 'Invalid query.', q.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })));
        query = q.data as Record<string, unknown>;
      } else if (keys.length) throw new ApiError(400, 'invalid-input', 'This endpoint takes no query parameters.');
      let body: unknown = undefined;
      if (req.method === 'POST') {
        const raw = await readBody(req);
        if (raw.trim()) {
          const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          if (type !== 'application/json') throw new ApiError(415, 'unsupported-media-type', 'Send the body as application/json.');
          try {
            body = JSON.parse(raw);
          } catch {
            throw new ApiError(400, 'invalid-input', 'The body is not valid JSON.');
          }
        }
        if (route.body) {
          const b = route.body.safeParse(body);
          if (!b.success) throw new ApiError(400, 'invalid-input', b.error.issues[0]?.message ?? 'Invalid body.', b.error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })));
        }
      }
      const ctx = { peer: `api:${token.id}`, user: tokenActor(token) };
      const call: ChannelCall = async (channel, input) => {
        const r = await o.engine.dispatch(channel, input, ctx);
        if (!r.ok) throw ApiError.fromApp(r.error);
        return r.value as never;
      };
      const out = await route.run(call, { params, query, body, url });
      answer(out.status, out.body);
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(err.status, err.code, err.message, err.details, { ...rate.headers, ...err.headers });
      throw err;
    }
  };

  return {
    handles: (p) => p === METRICS_PATH || p === '/api' || p.startsWith('/api/'),
    handle(req, res) {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://x');
      } catch {
        url = new URL('http://x/api');
      }
      handle(req, res, url).catch((err: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (err instanceof ApiError) return fail(res, url.pathname, err);
        log.error('api request failed', { path: url.pathname, err });
        fail(res, url.pathname, new ApiError(500, 'internal', 'Something went wrong inside Watchroom; see the log.'));
      });
    },
  };
}
