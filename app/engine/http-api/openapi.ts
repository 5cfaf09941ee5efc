import { z } from 'zod';
import { PERMISSIONS } from '../../shared/auth/permissions';
import { ApiErrorBodySchema } from './api-errors';
import { API_ROUTES, type ApiRoute } from './api-routes';

/** Where the document is served. */
export const OPENAPI_PATH = '/api/v1/openapi.json';
export const METRICS_PATH = '/metrics';

type JsonSchema = Record<string, unknown>;

/** A zod schema as an OpenAPI 3.1 schema object (JSON Schema 2020-12, the dialect 3.1 uses). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const ERROR = { $ref: '#/components/responses/Error' };
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

function parameters(route: ApiRoute): JsonSchema[] {
  const out: JsonSchema[] = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (route.query) {
    const s = schemaOf(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(s.properties ?? {})) out.push({ name, in: 'query', required: (s.required ?? []).includes(name), schema });
  }
  return out;
}

function roleText(route: ApiRoute): string {
  const mins = route.channels.map((c) => PERMISSIONS[c].min);
  return `Calls ${route.channels.map((c) => `\`${c}\``).join(', ')} through the engine's dispatcher; lowest role: ${mins.join(', ')}. Rate class: ${route.rate}.`;
}

function operation(route: ApiRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {
    [String(route.success)]: { description: 'Success.', content: json(schemaOf(route.response, 'output')) },
  };
  for (const a of route.also ?? []) responses[String(a.status)] = a.schema ? { description: a.description, content: json(schemaOf(a.schema, 'output')) } : { description: a.description, content: json({ $ref: '#/components/schemas/Error' }) };
  for (const s of ['400', '401', '403', '429', '500']) responses[s] ??= ERROR;
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: roleText(route),
    tags: [route.tag],
    security: [{ bearerAuth: [] }],
    ...(parameters(route).length ? { parameters: parameters(route) } : {}),
    ...(route.body ? { requestBody: { required: !route.body.safeParse(undefined).success, content: json(schemaOf(route.body, 'input')) } } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route table and its zod contract schemas
 * (z.toJSONSchema), so it cannot drift from what the API accepts and answers.
 */
export function buildOpenApiDocument(version: string, routes: readonly ApiRoute[] = API_ROUTES): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of routes) (paths[r.path] ??= {})[r.method.toLowerCase()] = operation(r);
  paths[OPENAPI_PATH] = {
    get: { operationId: 'getOpenApi', summary: 'This document.', tags: ['meta'], security: [], responses: { '200': { description: 'The OpenAPI 3.1 document.', content: json({ type: 'object' }) } } },
  };
  paths[METRICS_PATH] = {
    get: {
      operationId: 'getMetrics',
      summary: 'Prometheus metrics (text format 0.0.4): per camera fps, dropped frames, decode and inference latency, reconnects; alarms by state; outbox backlog per sink; process CPU and memory.',
      description: `Token needed; lowest role: ${PERMISSIONS['health:get'].min} (as health).`,
      tags: ['meta'],
      security: [{ bearerAuth: [] }],
      responses: { '200': { description: 'Metrics.', content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } } }, '401': ERROR, '403': ERROR, '429': ERROR },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Watchroom API',
      version,
      description:
        'The site\u2019s other systems reach Watchroom here. Every request carries `Authorization: Bearer <token>` (an API token made by an admin for one integration, with a role). Errors: `{"error": {"code", "message", "status", "timestamp", "path", "details"}}`. Lists: `{"data", "meta", "links"}`. Rate limits per token and endpoint: `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`; 429 with `Retry-After`.',
    },
    servers: [{ url: '/' }],
    tags: ['cameras', 'counts', 'events', 'alarms', 'reports', 'health', 'meta'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (`wr_<id>.<secret>`).' } },
      schemas: { Error: schemaOf(ApiErrorBodySchema, 'output') },
      responses: { Error: { description: 'The error format.', content: json({ $ref: '#/components/schemas/Error' }) } },
    },
  };
}
