import { z } from 'zod';
import { AlarmOutcomeSchema } from '../../shared/domain/alarms';
import { CameraViewSchema } from '../../shared/domain/camera';
import { invokeContract, type InvokeChannel, type InvokeOutput } from '../../shared/ipc/contracts';
import { ApiError } from './api-errors';
import type { RateClass } from './rate-limits';

/**
 * THE route table of the HTTP API (`/api/v1/`). The router (api-handler.ts) and the OpenAPI document
 * (openapi.ts) are both built from it, and every schema in it is a contract schema (or built from one), so the
 * document cannot drift from what the API does. Each route calls invoke channels through the engine's one
 * dispatcher: the permission matrix, validation and audit apply exactly as for the app's own windows.
 */

/** Calls one channel as the request's token; throws ApiError for a refused call. */
export type ChannelCall = <C extends InvokeChannel>(channel: C, input: unknown) => Promise<InvokeOutput<C>>;

export interface RouteRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** `/api/v1/...` as requested, with its query (for `links`). */
  url: URL;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** OpenAPI path template, e.g. `/api/v1/alarms/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: 'cameras' | 'counts' | 'events' | 'alarms' | 'reports' | 'health' | 'meta';
  /** The channels it calls (their lowest role is the route's; the OpenAPI text says it). */
  channels: InvokeChannel[];
  /** Query parameters (strings in; parsed here, then the channel's own schema checks the result). */
  query?: z.ZodObject;
  /** JSON body (a contract schema). */
  body?: z.ZodType;
  rate: RateClass;
  /** Success status and the schema of the whole answer body. */
  success: number;
  response: z.ZodType;
  /** Other statuses it may answer with (besides 400/401/403/429/500). */
  also?: Array<{ status: number; description: string; schema?: z.ZodType }>;
  run(call: ChannelCall, req: RouteRequest): Promise<RouteAnswer>;
}

// ---------------------------------------------------------------- shapes

/** Pagination's `meta` and `links` (planning guide). */
export const PageMetaSchema = z.object({
  /** Items in this page. */
  count: z.number().int(),
  /** Page size asked for. */
  limit: z.number().int().nullable(),
  /** Cursor of the next page (pass as `cursor`), null at the end. */
  nextCursor: z.string().nullable(),
});
export const PageLinksSchema = z.object({ self: z.string(), next: z.string().nullable() });
const single = <T extends z.ZodType>(data: T) => z.object({ data });
const page = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), meta: PageMetaSchema, links: PageLinksSchema });
const out = <C extends InvokeChannel>(c: C) => invokeContract[c].output;

function paged<T>(req: RouteRequest, data: T[], limit: number | null, nextCursor: string | null) {
  const self = req.url.pathname + req.url.search;
  let next: string | null = null;
  if (nextCursor) {
    const u = new URL(req.url.href);
    u.searchParams.set('cursor', nextCursor);
    next = u.pathname + u.search;
  }
  return { data, meta: { count: data.length, limit, nextCursor }, links: { self, next } };
}

// ---------------------------------------------------------------- query parameters (strings)

const num = z.string().regex(/^-?\d+(\.\d+)?$/, 'Expected a number.').transform(Number);
const int = z.string().regex(/^\d{1,9}$/, 'Expected a whole number.').transform(Number);
const text = (max = 64) => z.string().min(1).max(max);
const list = z
  .string()
  .max(200)
  .transform((s) => s.split(',').filter(Boolean));

const EventsQuery = z.strictObject({
  cameraId: text().optional(),
  ruleId: text().optional(),
  /** Comma-separated event types (line.cross, zone.enter …). */
  type: list.optional(),
  /** Epoch ms, inclusive. */
  from: num.optional(),
  /** Epoch ms, exclusive. */
  to: num.optional(),
  limit: int.optional(),
  /** `meta.nextCursor` of the previous page. */
  cursor: text(64).optional(),
});
const AlarmsQuery = z.strictObject({
  status: z.enum(['open', 'closed', 'all']).optional(),
  cameraId: text().optional(),
  limit: int.optional(),
  cursor: text(64).optional(),
});
const CountsQuery = z.strictObject({ cameraId: text().optional(), ruleId: text().optional(), from: num.optional(), to: num.optional() });
const HistoryQuery = z.strictObject({
  cameraId: text().optional(),
  ruleId: text().optional(),
  /** Epoch ms, inclusive. */
  from: num,
  /** Epoch ms, exclusive (default now). */
  to: num.optional(),
  /** Bucket length in seconds (60 .. 31 days); at most 500 buckets. */
  interval: int,
});
const None = z.strictObject({});

/** Counts in one interval (the history of counts is a list of these). */
export const CountsBucketSchema = z.object({ from: z.number(), to: z.number(), totals: out('counts:totals') });
export const InboundAlarmAnswerSchema = single(out('integrations:raise-alarm'));

const byId = (params: Record<string, string>) => params.id ?? '';

// ---------------------------------------------------------------- the routes

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/cameras',
    operationId: 'listCameras',
    summary: 'All cameras with their current state (sources with passwords masked).',
    tag: 'cameras',
    channels: ['cameras:list'],
    query: None,
    rate: 'read',
    success: 200,
    response: page(CameraViewSchema),
    async run(call, req) {
      const cams = await call('cameras:list', undefined);
      return { status: 200, body: paged(req, cams, null, null) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/cameras/{id}',
    operationId: 'getCamera',
    summary: 'One camera and its state (connecting, online, stalled, reconnecting, offline, disabled).',
    tag: 'cameras',
    channels: ['cameras:list'],
    query: None,
    rate: 'read',
    success: 200,
    response: single(CameraViewSchema),
    also: [{ status: 404, description: 'No such camera.' }],
    async run(call, req) {
      const cam = (await call('cameras:list', undefined)).find((c) => c.id === byId(req.params));
      if (!cam) throw new ApiError(404, 'not-found', 'There is no such camera.');
      return { status: 200, body: { data: cam } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/counts',
    operationId: 'getCounts',
    summary: 'Counts per rule (in, out, enter, exit, alarms) and current occupancy at `to` (default now), from the ledger.',
    tag: 'counts',
    channels: ['counts:totals'],
    query: CountsQuery,
    rate: 'read',
    success: 200,
    response: page(invokeContract['counts:totals'].output.element),
    async run(call, req) {
      const rows = await call('counts:totals', req.query);
      return { status: 200, body: paged(req, rows, null, null) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/counts/history',
    operationId: 'getCountsHistory',
    summary: 'Counts per rule in consecutive intervals of `interval` seconds from `from` to `to` (at most 500 intervals).',
    tag: 'counts',
    channels: ['counts:totals'],
    query: HistoryQuery,
    rate: 'read',
    success: 200,
    response: page(CountsBucketSchema),
    async run(call, req) {
      const q = req.query as z.output<typeof HistoryQuery>;
      const to = q.to ?? Date.now();
      const step = q.interval * 1000;
      if (q.interval < 60 || q.interval > 31 * 86_400) throw new ApiError(400, 'invalid-input', 'The interval is 60 seconds to 31 days.');
      if (!(to > q.from)) throw new ApiError(400, 'invalid-input', '`to` must be after `from`.');
      if ((to - q.from) / step > 500) throw new ApiError(400, 'invalid-input', 'At most 500 intervals: choose a longer interval or a shorter period.');
      const buckets: z.output<typeof CountsBucketSchema>[] = [];
      for (let start = q.from; start < to; start += step) {
        const end = Math.min(to, start + step);
        buckets.push({ from: start, to: end, totals: await call('counts:totals', { cameraId: q.cameraId, ruleId: q.ruleId, from: start, to: end }) });
      }
      return { status: 200, body: paged(req, buckets, null, null) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/events',
    operationId: 'listEvents',
    summary: 'Ledger events newest first, filtered by camera, rule, type and time; keyset pagination (`cursor`).',
    tag: 'events',
    channels: ['events:list'],
    query: EventsQuery,
    rate: 'read',
    success: 200,
    response: page(invokeContract['events:list'].output.shape.rows.element),
    async run(call, req) {
      const { type, ...q } = req.query as z.output<typeof EventsQuery>;
      const r = await call('events:list', { ...q, ...(type ? { types: type } : {}) });
      return { status: 200, body: paged(req, r.rows, q.limit ?? 100, r.nextCursor) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/alarms',
    operationId: 'listAlarms',
    summary: 'The alarm queue (open alarms by priority, default) or closed/all alarms newest first with keyset pagination.',
    tag: 'alarms',
    channels: ['alarms:list'],
    query: AlarmsQuery,
    rate: 'read',
    success: 200,
    response: page(invokeContract['alarms:list'].output.element),
    async run(call, req) {
      const q = req.query as z.output<typeof AlarmsQuery>;
      const limit = q.limit ?? 200;
      const rows = await call('alarms:list', q);
      // Open alarms are ordered by priority (one page); closed and all page by id.
      const next = (q.status ?? 'open') !== 'open' && rows.length === limit ? rows[rows.length - 1]!.id : null;
      return { status: 200, body: paged(req, rows, limit, next) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alarms',
    operationId: 'raiseAlarm',
    summary: 'Raises an alarm from another system. The same `source` and `eventId` raise one alarm, ever: a repeat answers 200 with that alarm.',
    tag: 'alarms',
    channels: ['integrations:raise-alarm'],
    body: invokeContract['integrations:raise-alarm'].input,
    rate: 'write',
    success: 201,
    response: InboundAlarmAnswerSchema,
    also: [{ status: 200, description: 'Already raised by an earlier message with this source and event id (nothing changed).', schema: InboundAlarmAnswerSchema }],
    async run(call, req) {
      const r = await call('integrations:raise-alarm', req.body);
      return { status: r.created ? 201 : 200, body: { data: r } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/alarms/{id}',
    operationId: 'getAlarm',
    summary: 'One alarm with its full history (who did what when).',
    tag: 'alarms',
    channels: ['alarms:get'],
    query: None,
    rate: 'read',
    success: 200,
    response: single(out('alarms:get')),
    also: [{ status: 404, description: 'No such alarm.' }],
    async run(call, req) {
      return { status: 200, body: { data: await call('alarms:get', { id: byId(req.params) }) } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alarms/{id}/acknowledge',
    operationId: 'acknowledgeAlarm',
    summary: 'Acknowledges a new alarm (stops its escalation).',
    tag: 'alarms',
    channels: ['alarms:acknowledge'],
    body: z.strictObject({}).optional(),
    rate: 'write',
    success: 200,
    response: single(out('alarms:acknowledge')),
    also: [
      { status: 404, description: 'No such alarm.' },
      { status: 409, description: 'Already acknowledged or closed.' },
    ],
    async run(call, req) {
      return { status: 200, body: { data: await call('alarms:acknowledge', { id: byId(req.params) }) } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/alarms/{id}/close',
    operationId: 'closeAlarm',
    summary: 'Closes an acknowledged (or held) alarm with an outcome and an optional comment.',
    tag: 'alarms',
    channels: ['alarms:close'],
    body: z.strictObject({ outcome: AlarmOutcomeSchema, comment: z.string().max(1000).optional() }),
    rate: 'write',
    success: 200,
    response: single(out('alarms:close')),
    also: [
      { status: 404, description: 'No such alarm.' },
      { status: 409, description: 'Not acknowledged yet, or already closed.' },
    ],
    async run(call, req) {
      return { status: 200, body: { data: await call('alarms:close', { ...(req.body as object), id: byId(req.params) }) } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/reports',
    operationId: 'buildReport',
    summary: 'Builds a report (daily, weekly, monthly, custom, shift): aggregates, totals against the previous period, shift items.',
    tag: 'reports',
    channels: ['reports:build'],
    body: invokeContract['reports:build'].input,
    rate: 'write',
    success: 200,
    response: single(out('reports:build')),
    async run(call, req) {
      return { status: 200, body: { data: await call('reports:build', req.body) } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/reports/exports',
    operationId: 'exportReport',
    summary: 'Starts writing a report file (CSV or PDF) into a report folder on the host. Limited to 5 an hour per token.',
    tag: 'reports',
    channels: ['reports:export'],
    body: invokeContract['reports:export'].input,
    rate: 'export',
    success: 202,
    response: single(out('reports:export')),
    async run(call, req) {
      return { status: 202, body: { data: await call('reports:export', req.body) } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/health',
    operationId: 'getHealth',
    summary: 'Healthy / degraded / unhealthy per component (database, cameras, workers, inference, exporter, host) and overall.',
    tag: 'health',
    channels: ['health:get'],
    query: None,
    rate: 'read',
    success: 200,
    response: single(out('health:get')),
    async run(call) {
      return { status: 200, body: { data: await call('health:get', undefined) } };
    },
  },
];
