import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveFrame } from '../shared/domain/detection';
import type { ComponentHealth } from '../shared/domain/health';
import type { Role } from '../shared/domain/user';
import { ADMIN_CTX, TEST_SCRYPT } from '../engine/auth/as-role.test-support';
import { QuietCameraRuntime } from '../engine/camera/quiet-camera-runtime.test-support';
import { NO_WORKERS } from '../engine/camera/quiet-camera-runtime.test-support';
import { createApiHandler } from '../engine/http-api/api-handler';
import { API_ROUTES } from '../engine/http-api/api-routes';
import { ApiErrorBodySchema } from '../engine/http-api/api-errors';
import { nullLogger } from '../engine/logging/logger';
import { WatchroomEngine } from '../engine/services/engine';
import { startMosquitto, sleep, type Mosquitto } from '../../test/support/export-servers';
import { parsePrometheusText } from '../../test/support/prometheus-text';
import { openApi31Validator } from '../../test/support/openapi-schema';
import { startHeadlessHost, type HeadlessHost } from './headless-host';

/**
 * The HTTP API against the running headless host: real SQLite, real HTTP, real mosquitto. Every
 * answer is checked against the route's documented schema (the one the OpenAPI document is generated from).
 */

/**
 * A JSON answer read loosely in assertions (each answer's shape is checked by its route's zod schema first).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** A runtime that runs nothing but reports one camera's health figures (for /metrics). */
class ReportingRuntime extends QuietCameraRuntime {
  readonly frameListeners = new Set<(f: LiveFrame) => void>();
  override onFrame(l: (f: LiveFrame) => void) {
    this.frameListeners.add(l);
    return { dispose: () => void this.frameListeners.delete(l) };
  }
  override health(): ComponentHealth[] {
    return [{ id: 'camera:gate', kind: 'camera', name: 'Gate', level: 'healthy', detail: 'online', metrics: { fps: 5, droppedFrames: 2, reconnects: 1, decodeLatencyMs: 3.5, decodeHistogram: { buckets: [7, 9, 10, 10, 10, 10, 10, 10, 10, 10], count: 10, sum: 0.035 }, inferenceMs: 16.2 } }];
  }
}

let dir: string;
let rendererDir: string;
let engine: WatchroomEngine;
let runtime: ReportingRuntime;
let host: HeadlessHost;
let base: string;
let cameraId: string;
const tokens: Partial<Record<Role | 'limited' | 'revoked', string>> = {};

const dispatchOk = async (channel: string, input: unknown) => {
  const r = await engine.dispatch(channel, input, ADMIN_CTX);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value as never;
};
const newToken = async (name: string, role: Role): Promise<string> => ((await dispatchOk('integrations:token-create', { name, role, days: 30 })) as { secret: string }).secret;

async function api(method: string, p: string, o: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = {};
  if (o.token !== null) headers.Authorization = `Bearer ${o.token ?? tokens.admin}`;
  if (o.body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, o.headers);
  const res = await fetch(base + p, { method, headers, body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body), redirect: 'manual' });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* metrics are text */
  }
  return { status: res.status, headers: res.headers, text, json: json as Record<string, Loose> };
}

/** The answer matches the route's documented schema. */
function documented(method: string, template: string, r: { status: number; json: unknown }) {
  const route = API_ROUTES.find((x) => x.method === method && x.path === template)!;
  expect(route, `${method} ${template}`).toBeTruthy();
  const schema = r.status === route.success ? route.response : route.also?.find((a) => a.status === r.status)?.schema;
  expect(schema, `status ${r.status} of ${method} ${template}: ${JSON.stringify(r.json).slice(0, 300)}`).toBeTruthy();
  const parsed = schema!.safeParse(r.json);
  expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true);
}

function isError(r: { status: number; json: unknown }, status: number, code: string, p: string) {
  expect(r.status).toBe(status);
  const body = ApiErrorBodySchema.parse(r.json);
  expect(body.error).toMatchObject({ status, code, path: p });
  expect(Number.isNaN(Date.parse(body.error.timestamp))).toBe(false);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-api-'));
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-api-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>w</title>');
  engine = new WatchroomEngine({
    dataDir: dir,
    workerStarter: NO_WORKERS,
    logger: nullLogger,
    hostKind: 'headless',
    version: '0.0.0-test',
    cameraRuntimeFactory: () => (runtime = new ReportingRuntime()),
    validateOutputs: true,
    healthIntervalMs: 60_000,
    nativeModelsDir: path.join(dir, 'no-native-models'),
    detection: false,
    scrypt: TEST_SCRYPT,
  });
  engine.start();
  const api = createApiHandler({ engine, logger: nullLogger, version: '0.0.0-test', rateLimits: { read: { limit: 40, windowS: 60 }, 'auth-failure': { limit: 1000, windowS: 60 } } });
  host = await startHeadlessHost({ engine, logger: nullLogger, rendererDir, api });
  base = `http://127.0.0.1:${host.port}`;
  cameraId = ((await dispatchOk('cameras:add', { name: 'Gate', source: 'rtsp://u:pw-123@10.1.1.1/s', enabled: false })) as { id: string }).id;
  for (const role of ['viewer', 'officer', 'supervisor', 'admin'] as const) tokens[role] = await newToken(`it-${role}`, role);
  tokens.limited = await newToken('limited', 'officer');
  tokens.revoked = await newToken('revoked', 'admin');
});
afterAll(async () => {
  await host?.close();
  await engine?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

describe('HTTP API: switch and tokens', () => {
  it('is off by default: 404 in the error format, until an admin turns it on', async () => {
    isError(await api('GET', '/api/v1/cameras'), 404, 'api-off', '/api/v1/cameras');
    await dispatchOk('integrations:settings-set', { apiEnabled: true });
    expect((await api('GET', '/api/v1/cameras')).status).toBe(200);
  });

  it('refuses a request without a valid token with 401 (and the host token is no API token)', async () => {
    const none = await api('GET', '/api/v1/cameras', { token: null });
    isError(none, 401, 'unauthorized', '/api/v1/cameras');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    isError(await api('GET', '/api/v1/alarms', { token: 'wr_0000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }), 401, 'unauthorized', '/api/v1/alarms');
    isError(await api('GET', '/api/v1/alarms', { token: host.token }), 401, 'unauthorized', '/api/v1/alarms');
    isError(await api('GET', '/api/v1/alarms', { token: null, headers: { Cookie: `watchroom_token=${host.token}` } }), 401, 'unauthorized', '/api/v1/alarms');
  });

  it('stores only a hash of each token and refuses a revoked token at once', async () => {
    const secret = tokens.revoked!;
    const raw = fs.readFileSync(path.join(dir, 'watchroom.db'));
    expect(raw.includes(Buffer.from(secret.split('.')[1]!))).toBe(false);
    expect((await api('GET', '/api/v1/cameras', { token: secret })).status).toBe(200);
    const id = secret.slice(3, 19);
    await dispatchOk('integrations:token-revoke', { id });
    isError(await api('GET', '/api/v1/cameras', { token: secret }), 401, 'unauthorized', '/api/v1/cameras');
    const audit = (await dispatchOk('audit:list', { limit: 500 })) as Array<{ action: string; target: string | null; detail: unknown }>;
    expect(audit.some((r) => r.action === 'integrations:token-revoke' && r.target === id)).toBe(true);
    const created = audit.filter((r) => r.action === 'integrations:token-create');
    expect(created.length).toBeGreaterThanOrEqual(6);
    // The audit row names the integration, never the token.
    expect(JSON.stringify(audit)).not.toContain(secret.split('.')[1]!);
  });
});

describe('HTTP API: resources answer with their documented shapes', () => {
  it('cameras: list and one camera with its state; passwords masked', async () => {
    const list = await api('GET', '/api/v1/cameras');
    documented('GET', '/api/v1/cameras', list);
    expect(list.json.data.map((c: { id: string }) => c.id)).toContain(cameraId);
    expect(list.text).not.toContain('pw-123');
    expect(list.json.links.self).toBe('/api/v1/cameras');
    const one = await api('GET', `/api/v1/cameras/${cameraId}`);
    documented('GET', '/api/v1/cameras/{id}', one);
    expect(one.json.data.state).toEqual({ type: 'disabled' });
    isError(await api('GET', '/api/v1/cameras/nope'), 404, 'not-found', '/api/v1/cameras/nope');
  });

  it('counts: totals with occupancy, and history by interval', async () => {
    documented('GET', '/api/v1/counts', await api('GET', `/api/v1/counts?cameraId=${cameraId}`, { token: tokens.officer }));
    const from = Date.UTC(2026, 0, 1);
    const h = await api('GET', `/api/v1/counts/history?from=${from}&to=${from + 3 * 3600_000}&interval=3600`, { token: tokens.officer });
    documented('GET', '/api/v1/counts/history', h);
    expect(h.json.data.map((b: { from: number }) => b.from)).toEqual([from, from + 3600_000, from + 7200_000]);
    isError(await api('GET', `/api/v1/counts/history?from=${from}&interval=1`, { token: tokens.officer }), 400, 'invalid-input', '/api/v1/counts/history');
  });

  it('events: filtered, keyset-paged', async () => {
    const r = await api('GET', `/api/v1/events?cameraId=${cameraId}&type=line.cross,zone.enter&limit=10`, { token: tokens.officer });
    documented('GET', '/api/v1/events', r);
    expect(r.json.meta).toEqual({ count: 0, limit: 10, nextCursor: null });
    isError(await api('GET', '/api/v1/events?bogus=1', { token: tokens.officer }), 400, 'invalid-input', '/api/v1/events');
    isError(await api('GET', '/api/v1/events?limit=5000', { token: tokens.officer }), 400, 'invalid-input', '/api/v1/events');
  });

  it('alarms: raised by another system once (even sent twice), listed with their text, acknowledged and closed; a viewer cannot acknowledge', async () => {
    const body = { source: 'access-panel', eventId: 'evt-1001', priority: 2, text: 'Door 4 forced open', cameraId };
    const first = await api('POST', '/api/v1/alarms', { token: tokens.officer, body });
    expect(first.status).toBe(201);
    documented('POST', '/api/v1/alarms', first);
    const again = await api('POST', '/api/v1/alarms', { token: tokens.officer, body });
    expect(again.status).toBe(200);
    documented('POST', '/api/v1/alarms', again);
    expect(again.json.data).toMatchObject({ created: false, alarm: { id: first.json.data.alarm.id } });
    const list = await api('GET', '/api/v1/alarms', { token: tokens.officer });
    documented('GET', '/api/v1/alarms', list);
    const mine = list.json.data.filter((a: { detail: { eventId?: string } | null }) => a.detail?.eventId === 'evt-1001');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: 'system', condition: 'external-alarm', status: 'new', priority: 2, detail: { source: 'access-panel', text: 'Door 4 forced open', cameraId } });
    const id = first.json.data.alarm.id as string;

    isError(await api('POST', `/api/v1/alarms/${id}/acknowledge`, { token: tokens.viewer }), 403, 'forbidden', `/api/v1/alarms/${id}/acknowledge`);
    expect((await api('GET', `/api/v1/alarms/${id}`, { token: tokens.officer })).json.data.alarm.status).toBe('new');

    const ack = await api('POST', `/api/v1/alarms/${id}/acknowledge`, { token: tokens.officer });
    documented('POST', '/api/v1/alarms/{id}/acknowledge', ack);
    expect(ack.json.data).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'api:it-officer' });
    isError(await api('POST', `/api/v1/alarms/${id}/acknowledge`, { token: tokens.officer }), 409, 'conflict', `/api/v1/alarms/${id}/acknowledge`);
    const closed = await api('POST', `/api/v1/alarms/${id}/close`, { token: tokens.officer, body: { outcome: 'true-alarm', comment: 'guard sent' } });
    documented('POST', '/api/v1/alarms/{id}/close', closed);
    const one = await api('GET', `/api/v1/alarms/${id}`, { token: tokens.officer });
    documented('GET', '/api/v1/alarms/{id}', one);
    expect(one.json.data.history.map((h: { action: string; by: string }) => `${h.action}:${h.by}`)).toEqual(['open:api:it-officer', 'acknowledge:api:it-officer', 'close:api:it-officer']);
    // Closed: the same event sent again still raises nothing.
    expect((await api('POST', '/api/v1/alarms', { token: tokens.officer, body })).json.data).toMatchObject({ created: false, alarm: { id, status: 'closed' } });
    const audit = (await dispatchOk('audit:list', { limit: 500 })) as Array<{ action: string; actor: string }>;
    expect(audit.filter((r) => r.action === 'alarms:acknowledge').map((r) => r.actor)).toContain('api:it-officer');
    expect(audit.filter((r) => r.action === 'integrations:raise-alarm').map((r) => r.actor)).toContain('api:it-officer');
  });

  it('reports: build and export (supervisor and up)', async () => {
    const req = { type: 'custom', from: '2026-01-01', to: '2026-01-02' };
    isError(await api('POST', '/api/v1/reports', { token: tokens.officer, body: req }), 403, 'forbidden', '/api/v1/reports');
    const built = await api('POST', '/api/v1/reports', { token: tokens.supervisor, body: req });
    documented('POST', '/api/v1/reports', built);
    const exp = await api('POST', '/api/v1/reports/exports', { token: tokens.supervisor, body: { request: req, format: 'csv' } });
    documented('POST', '/api/v1/reports/exports', exp);
    expect(exp.status).toBe(202);
  });

  it('health: a level per component and overall', async () => {
    const r = await api('GET', '/api/v1/health', { token: tokens.officer });
    documented('GET', '/api/v1/health', r);
    expect(r.json.data.components.find((c: { id: string }) => c.id === 'camera:gate')).toMatchObject({ level: 'healthy' });
    isError(await api('GET', '/api/v1/health', { token: tokens.viewer }), 403, 'forbidden', '/api/v1/health');
  });

  it('refuses malformed requests in the error format: method, JSON, media type, unknown path', async () => {
    isError(await api('DELETE', '/api/v1/cameras'), 405, 'method-not-allowed', '/api/v1/cameras');
    isError(await api('POST', '/api/v1/alarms', { body: '{"source":' }), 400, 'invalid-input', '/api/v1/alarms');
    isError(await api('POST', '/api/v1/alarms', { body: 'x=1', headers: { 'Content-Type': 'text/plain' } }), 415, 'unsupported-media-type', '/api/v1/alarms');
    isError(await api('POST', '/api/v1/alarms', { body: { source: 'x', eventId: 'y', priority: 9, text: 't' } }), 400, 'invalid-input', '/api/v1/alarms');
    isError(await api('GET', '/api/v1/nothing'), 404, 'not-found', '/api/v1/nothing');
  });
});

describe('HTTP API: rate limits', () => {
  it('counts per token and endpoint with X-RateLimit-* headers; 429 with Retry-After past the limit', async () => {
    let last = await api('GET', '/api/v1/alarms', { token: tokens.limited });
    expect(last.headers.get('x-ratelimit-limit')).toBe('40');
    expect(last.headers.get('x-ratelimit-remaining')).toBe('39');
    for (let i = 1; i < 40; i++) last = await api('GET', '/api/v1/alarms', { token: tokens.limited });
    expect(last.status).toBe(200);
    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    const over = await api('GET', '/api/v1/alarms', { token: tokens.limited });
    isError(over, 429, 'rate-limited', '/api/v1/alarms');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another endpoint of the same token, and the same endpoint of another token, have their own counters.
    expect((await api('GET', '/api/v1/cameras', { token: tokens.limited })).status).toBe(200);
    expect((await api('GET', '/api/v1/alarms', { token: tokens.officer })).status).toBe(200);
  });
});

describe('HTTP API: wrong tokens', () => {
  it('count per client address like failed sign-ins (429 past the limit), without holding up valid tokens', async () => {
    const strict = await startHeadlessHost({ engine, logger: nullLogger, rendererDir, api: createApiHandler({ engine, logger: nullLogger, version: 't', rateLimits: { 'auth-failure': { limit: 3, windowS: 60 } } }) });
    try {
      const at = (token: string | null) => fetch(`http://127.0.0.1:${strict.port}/api/v1/alarms`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      for (let i = 0; i < 3; i++) expect((await at(i % 2 ? null : 'wr_nope')).status).toBe(401);
      const held = await at('wr_nope');
      expect(held.status).toBe(429);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await at(tokens.officer!)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('OpenAPI 3.1 document', () => {
  it('is served without a token, validates, and lists every route', async () => {
    const r = await api('GET', '/api/v1/openapi.json', { token: null });
    expect(r.status).toBe(200);
    const doc = r.json;
    expect(doc.openapi).toBe('3.1.0');
    // Valid against the OpenAPI Initiative's schema of 3.1 documents.
    const valid = openApi31Validator();
    expect(valid(doc), JSON.stringify(valid.errors?.slice(0, 3))).toBe(true);
    expect(valid({ ...doc, info: undefined })).toBe(false);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const operationIds = new Set<string>();
    for (const route of API_ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.path}`).toBeTruthy();
      expect(operationIds.has(op.operationId)).toBe(false);
      operationIds.add(op.operationId);
      for (const [status, resp] of Object.entries(op.responses as Record<string, Loose>)) {
        expect(/^[1-5]\d\d$/.test(status)).toBe(true);
        const schema = resp.$ref ? doc.components.schemas.Error : resp.content['application/json'].schema;
        const resolved = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
        expect(() => ajv.compile(resolved), `${route.path} ${status}`).not.toThrow();
      }
      if (op.requestBody) expect(() => ajv.compile(op.requestBody.content['application/json'].schema)).not.toThrow();
      for (const p of op.parameters ?? []) {
        expect(['path', 'query']).toContain(p.in);
        expect(() => ajv.compile(p.schema)).not.toThrow();
      }
      const templated = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p: { in: string }) => p.in === 'path').map((p: { name: string }) => p.name)).toEqual(templated);
    }
    expect(doc.paths['/metrics'].get).toBeTruthy();
    // Every $ref in the document points at something that exists.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = ref.slice(8, -1).replace(/^#\//, '').split('/');
      expect(target.reduce((o: Loose, k) => o?.[k], doc), ref).toBeTruthy();
    }
    // A real answer validates against the generated JSON Schema too (not only the zod one).
    const validate = ajv.compile(doc.paths['/api/v1/cameras'].get.responses['200'].content['application/json'].schema);
    expect(validate((await api('GET', '/api/v1/cameras')).json), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('/metrics', () => {
  it('needs a token, parses as Prometheus text and has per-camera series', async () => {
    isError(await api('GET', '/metrics', { token: null }), 401, 'unauthorized', '/metrics');
    isError(await api('GET', '/metrics', { token: tokens.viewer }), 403, 'forbidden', '/metrics');
    // Three analysed frames of the camera: 12 ms, 30 ms and 400 ms of inference, detections 20/50/900 ms after decode.
    for (const [i, ms, delay] of [[1, 12, 20], [2, 30, 50], [3, 400, 900]] as const) {
      const frame: LiveFrame = { cameraId: 'gate', seq: i, pts: i, capturedAt: 1000 * i, width: 640, height: 360, detections: [], inferenceMs: ms, detectedAt: 1000 * i + delay, jpeg: new Uint8Array() };
      runtime.frameListeners.forEach((l) => l(frame));
    }
    const r = await api('GET', '/metrics', { token: tokens.officer });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const fams = parsePrometheusText(r.text);
    const gate = (name: string) => fams.get(name)?.samples.find((s) => s.labels.camera === 'gate')?.value;
    expect(gate('watchroom_camera_fps')).toBe(5);
    expect(gate('watchroom_camera_dropped_frames_total')).toBe(2);
    expect(gate('watchroom_camera_reconnects_total')).toBe(1);
    expect(gate('watchroom_camera_decode_latency_ms')).toBe(3.5);
    expect(gate('watchroom_camera_inference_latency_ms')).toBe(16.2);
    expect(fams.get('watchroom_alarms')!.samples.some((s) => s.labels.kind === 'system' && s.labels.status === 'closed' && s.value >= 1)).toBe(true);
    expect(fams.get('process_resident_memory_bytes')!.samples[0]!.value).toBeGreaterThan(0);
    expect(fams.get('process_cpu_seconds_total')!.type).toBe('counter');
    expect(fams.get('watchroom_outbox_rows')).toBeTruthy();
    const inf = fams.get('watchroom_camera_inference_seconds')!;
    expect(inf.type).toBe('histogram');
    const bucket = (f: typeof inf, le: string) => f.samples.find((s) => s.name.endsWith('_bucket') && s.labels.camera === 'gate' && s.labels.le === le)?.value;
    expect([bucket(inf, '0.01'), bucket(inf, '0.02'), bucket(inf, '0.05'), bucket(inf, '0.5'), bucket(inf, '+Inf')]).toEqual([0, 1, 2, 3, 3]);
    expect(inf.samples.find((s) => s.name === 'watchroom_camera_inference_seconds_sum')!.value).toBeCloseTo(0.442, 6);
    const delay = fams.get('watchroom_camera_detection_delay_seconds')!;
    expect([bucket(delay, '0.02'), bucket(delay, '0.05'), bucket(delay, '0.5'), bucket(delay, '1')]).toEqual([1, 2, 2, 3]);
    // Decode time: every decoded frame, counted in the camera worker, as a histogram too.
    const dec = fams.get('watchroom_camera_decode_seconds')!;
    expect(dec.type).toBe('histogram');
    expect([bucket(dec, '0.005'), bucket(dec, '0.01'), bucket(dec, '+Inf')]).toEqual([7, 9, 10]);
  });
});

describe('alarms from MQTT (real mosquitto)', () => {
  let mosq: Mosquitto;
  beforeAll(async () => {
    mosq = await startMosquitto();
    await mosq.start();
  });
  afterAll(async () => {
    await dispatchOk('integrations:settings-set', { mqttInbound: null });
    await mosq?.dispose();
  });

  it('raises one alarm per source event id, even when the message comes twice, through the same queue', async () => {
    await dispatchOk('integrations:settings-set', {
      mqttInbound: { enabled: true, url: mosq.url, topic: 'site/panels/+/alarm', source: 'fire-panel', eventIdPath: 'event.id', textPath: 'event.text', priorityPath: 'prio', cameraIdPath: 'camera' },
    });
    const deadline = Date.now() + 20_000;
    while (!engine.integrations.mqtt.ready && Date.now() < deadline) await sleep(50);
    expect(engine.integrations.mqtt.ready).toBe(true);
    const health = await api('GET', '/api/v1/health', { token: tokens.officer });
    expect(health.json.data.components.find((c: { id: string }) => c.id === 'integrations:mqtt-inbound')).toMatchObject({ level: 'healthy' });
    const pub = await mqtt.connectAsync(mosq.url);
    const message = JSON.stringify({ event: { id: 'F-77', text: 'Smoke detector zone 3' }, prio: 1, camera: cameraId });
    await pub.publishAsync('site/panels/north/alarm', message, { qos: 1 });
    await pub.publishAsync('site/panels/north/alarm', message, { qos: 1 });
    await pub.publishAsync('site/panels/north/alarm', 'not json', { qos: 1 });
    // A later, different event proves the earlier messages were all handled.
    await pub.publishAsync('site/panels/north/alarm', JSON.stringify({ event: { id: 'F-78', text: 'Zone 4' } }), { qos: 1 });
    await pub.endAsync();
    let fromPanel: Array<{ detail: { eventId: string; source: string; text: string }; priority: number }> = [];
    while (Date.now() < deadline) {
      const r = await api('GET', '/api/v1/alarms', { token: tokens.officer });
      fromPanel = r.json.data.filter((a: { detail: { source?: string } | null }) => a.detail?.source === 'fire-panel');
      if (fromPanel.some((a) => a.detail.eventId === 'F-78')) break;
      await sleep(100);
    }
    expect(fromPanel.map((a) => a.detail.eventId).sort()).toEqual(['F-77', 'F-78']);
    expect(fromPanel.find((a) => a.detail.eventId === 'F-77')).toMatchObject({ priority: 1, detail: { text: 'Smoke detector zone 3' } });
    expect(fromPanel.find((a) => a.detail.eventId === 'F-78')).toMatchObject({ priority: 2 });
  });
});
