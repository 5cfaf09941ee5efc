import { z } from 'zod';

/**
 * Store-and-forward export to central systems (HTTPS batch endpoint, MQTT broker, PostgreSQL).
 *
 * Every exported event is written to the outbox in the same SQLite transaction as the row it stands for; each
 * sink keeps its own cursor over the outbox and delivers at least once. The receiving side makes delivery
 * exactly once in effect through the event's `id` (idempotent upsert, idempotency key, MQTT payload id).
 *
 * Circuit breaker of a sink:
 *
 *            failures >= threshold                  open period elapsed
 *   closed ─────────────────────────▶ open ─────────────────────────────▶ half-open
 *     ▲                                 ▲                                     │
 *     │         probe succeeded         │          probe failed               │
 *     └─────────────────────────────────┼─────────────────────────────────────┘
 *                                       └─────────────────────────────────────┘
 *
 * Closed: batches flow; a failure retries after exponential backoff with jitter. Open: nothing is sent until the
 * open period (growing with each re-open, with jitter, capped) ends. Half-open: one small probe batch; success
 * closes the breaker, failure opens it again.
 */

/** Event types a sink can subscribe to: ledger rows, alarm transitions and camera status changes. */
export const ExportEventTypeSchema = z.enum(['line.cross', 'zone.enter', 'zone.exit', 'zone.loiter', 'zone.intrusion', 'zone.overcrowd', 'alarm.transition', 'camera.status']);
export type ExportEventType = z.infer<typeof ExportEventTypeSchema>;
export const EXPORT_EVENT_TYPES = ExportEventTypeSchema.options;

/** One exported event, as every sink sends it (version 1 of the wire format; JSON Schema in resources/schemas). */
export const ExportEventSchema = z.object({
  /** Unique, time-sortable event id (ULID): the de-duplication key at every sink. */
  id: z.string(),
  type: ExportEventTypeSchema,
  /** Site name of the exporting workstation (sink setting). */
  site: z.string(),
  /** Camera the event belongs to (null for site-wide events). */
  cameraId: z.string().nullable(),
  /** Rule (line/zone) the event belongs to, when any. */
  ruleId: z.string().nullable(),
  /** When it happened, ISO-8601 UTC. */
  at: z.string(),
  /** Type-specific fields (direction, class, confidence, camera state…). */
  data: z.record(z.string(), z.unknown()),
});
export type ExportEvent = z.infer<typeof ExportEventSchema>;

/** Which events a sink receives; an empty list means "all". */
export const ExportFiltersSchema = z.object({
  /** Event types; empty = every type. */
  types: z.array(ExportEventTypeSchema).max(16).default([]),
  /** Camera ids; empty = every camera (site-wide events always pass). */
  cameraIds: z.array(z.string().min(1).max(64)).max(256).default([]),
  /** Rule ids; empty = every rule (events without a rule always pass). */
  ruleIds: z.array(z.string().min(1).max(64)).max(256).default([]),
});
export type ExportFilters = z.infer<typeof ExportFiltersSchema>;

const PemSchema = z.string().max(20_000).regex(/^\s*(-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*)?$/, 'Paste a PEM certificate (-----BEGIN CERTIFICATE-----…).');

/** HTTPS batch endpoint: POST of JSON batches. */
export const HttpsTargetSchema = z.object({
  kind: z.literal('https'),
  /** Endpoint URL (https://…). */
  url: z.string().trim().url('Give the full endpoint URL, e.g. https://hq.example.com/watchroom/events.').refine((u) => /^https:\/\//i.test(u), 'The endpoint must use https://.'),
  /** bearer: `Authorization: Bearer <secret>`; hmac: `X-Watchroom-Signature: sha256=<hex>` over `<timestamp>.<body>`. */
  auth: z.enum(['none', 'bearer', 'hmac']).default('none'),
  /** Only trust this CA (PEM) for the endpoint's certificate; empty = the system's CAs. */
  caPem: PemSchema.default(''),
});
/** MQTT broker (mqtt.js), QoS 1. */
export const MqttTargetSchema = z.object({
  kind: z.literal('mqtt'),
  /** Broker URL: mqtt://host:1883 or mqtts://host:8883. */
  url: z.string().trim().regex(/^mqtts?:\/\/[^\s/]+(:\d+)?\/?$/i, 'Give the broker as mqtt://host:1883 or mqtts://host:8883.'),
  username: z.string().max(200).default(''),
  /** Topic prefix; events go to `<prefix>/<site>/events/<type>`, camera status (retained) to `<prefix>/<site>/cameras/<id>/status`. */
  topicPrefix: z.string().trim().min(1).max(100).regex(/^[^#+\s]+$/, 'A topic prefix cannot contain #, + or spaces.').default('watchroom'),
  caPem: PemSchema.default(''),
});
/** PostgreSQL (node-postgres): the app creates and migrates its schema there. */
export const PostgresTargetSchema = z.object({
  kind: z.literal('postgres'),
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().trim().min(1).max(63),
  user: z.string().trim().min(1).max(63),
  /** Schema the tables live in (created when missing). */
  schema: z.string().trim().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'Use lower-case letters, digits and _ for the schema name.').default('watchroom'),
  /** Use TLS; with a CA it is verified against that CA only. */
  ssl: z.boolean().default(false),
  caPem: PemSchema.default(''),
});
export const ExportTargetSchema = z.discriminatedUnion('kind', [HttpsTargetSchema, MqttTargetSchema, PostgresTargetSchema]);
export type ExportTarget = z.infer<typeof ExportTargetSchema>;
export type ExportSinkKind = ExportTarget['kind'];

/** Delivery tuning of one sink. */
export const ExportTuningSchema = z.object({
  /** Events per batch (upper bound). */
  batchSize: z.number().int().min(1).max(5000).default(500),
  /** A delivery taking longer than this counts as failed, ms. */
  timeoutMs: z.number().int().min(200).max(120_000).default(10_000),
  /** Backlog older than this raises an export-backlog alarm (alarm queue), minutes. */
  backlogAlarmMinutes: z.number().min(0.05).max(10_080).default(15),
  /** This many undelivered events raise the export-backlog alarm too; 0 = off (age only). */
  backlogAlarmEvents: z.number().int('Give a whole number of events (0 = off).').min(0).max(10_000_000).default(0),
  /** Consecutive failures that open the circuit breaker. */
  failureThreshold: z.number().int().min(1).max(100).default(3),
  /** Longest wait between attempts (backoff and open periods are capped here), ms. */
  maxBackoffMs: z.number().int().min(100).max(600_000).default(60_000),
});
export type ExportTuning = z.infer<typeof ExportTuningSchema>;

/** A sink's backlog-size alarm threshold in events, null when off (0, or unset in settings saved before it existed). */
export function backlogCountThreshold(t: { backlogAlarmEvents?: number }): number | null {
  const n = t.backlogAlarmEvents ?? 0;
  return n > 0 ? n : null;
}

/** What an admin saves. `secret`: bearer token / HMAC key / password; omitted = keep the saved one, '' = none. */
export const ExportSinkInputSchema = z.object({
  /** Present when updating an existing sink. */
  id: z.string().min(1).max(64).optional(),
  name: z.string().trim().min(1, 'Give the sink a name.').max(80),
  enabled: z.boolean().default(true),
  /** Site name sent with every event (one central system, many sites). */
  site: z.string().trim().min(1, 'Give the site a name.').max(64).regex(/^[^#+/\s]+$/, 'A site name cannot contain #, +, / or spaces.'),
  target: ExportTargetSchema,
  filters: ExportFiltersSchema.default({ types: [], cameraIds: [], ruleIds: [] }),
  tuning: ExportTuningSchema.default(ExportTuningSchema.parse({})),
  secret: z.string().max(4096).optional(),
});
export type ExportSinkInput = z.input<typeof ExportSinkInputSchema>;
export type ExportSinkSettings = z.output<typeof ExportSinkInputSchema>;

export const BreakerStateSchema = z.enum(['closed', 'open', 'half-open']);
export type BreakerState = z.infer<typeof BreakerStateSchema>;

/** Delivery state of one sink, as health and the admin page show it. */
export const ExportSinkStatusSchema = z.object({
  sinkId: z.string(),
  breaker: BreakerStateSchema,
  /** Outbox rows this sink has not read yet. */
  backlog: z.number(),
  /** Age of the oldest of them, ms (null when none). */
  oldestAgeMs: z.number().nullable(),
  /** Events delivered since the app started. */
  delivered: z.number(),
  /** Delivery rate over the last batches, events per second. */
  ratePerSec: z.number(),
  /** Events waiting in dead letter. */
  deadLetters: z.number(),
  /** Events dropped at the outbox cap before this sink had them. */
  dropped: z.number(),
  /** Officer-readable reason of the last failure (null after a success). */
  lastError: z.string().nullable(),
  /** What kind of failure: configuration (wrong password, unknown host, TLS) or transient (down, timeout). */
  lastErrorKind: z.enum(['config', 'transient']).nullable(),
  lastSuccessAt: z.string().nullable(),
  /** When the next attempt is due (breaker open / backoff), ISO. */
  nextAttemptAt: z.string().nullable(),
  /** The backlog is past the sink's alarm threshold (age, or size when set): an export-backlog alarm is raised. */
  alarm: z.boolean(),
});
export type ExportSinkStatus = z.infer<typeof ExportSinkStatusSchema>;

/** A sink as the renderer sees it: no secret, only whether one is saved. */
export const ExportSinkViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  site: z.string(),
  target: ExportTargetSchema,
  filters: ExportFiltersSchema,
  tuning: ExportTuningSchema,
  secretSet: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: ExportSinkStatusSchema,
});
export type ExportSinkView = z.infer<typeof ExportSinkViewSchema>;

/** An event a sink rejected as invalid: kept for the admin, retryable. */
export const DeadLetterSchema = z.object({
  sinkId: z.string(),
  eventId: z.string(),
  type: ExportEventTypeSchema,
  cameraId: z.string().nullable(),
  at: z.string(),
  reason: z.string(),
  attempts: z.number(),
  /** 'dead' waits for the admin; 'retry' is queued for the next delivery. */
  state: z.enum(['dead', 'retry']),
  deadAt: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

/**
 * Outbox fill against its cap. The outbox-near-cap alarm fires when the UNDELIVERED rows reach `warnRatio` of the
 * cap, before anything is dropped: delivered rows kept for replay go first at the cap and lose nothing but replay.
 */
export const OutboxStatusSchema = z.object({
  /** Rows held (undelivered, plus delivered ones kept for replay). */
  rows: z.number(),
  /** Rows at least one sink has not passed yet (what the cap would drop after the delivered ones). */
  undelivered: z.number(),
  cap: z.number(),
  warnRatio: z.number(),
  /** Rows dropped at the cap since the database was created. */
  droppedTotal: z.number(),
});
export type OutboxStatus = z.infer<typeof OutboxStatusSchema>;

/** Does a sink with these filters want this event? */
export function filtersMatch(f: ExportFilters, e: { type: ExportEventType; cameraId: string | null; ruleId: string | null }): boolean {
  if (f.types.length && !f.types.includes(e.type)) return false;
  if (f.cameraIds.length && e.cameraId !== null && !f.cameraIds.includes(e.cameraId)) return false;
  if (f.ruleIds.length && e.ruleId !== null && !f.ruleIds.includes(e.ruleId)) return false;
  return true;
}
