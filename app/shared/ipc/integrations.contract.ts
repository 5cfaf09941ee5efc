import { z } from 'zod';
import { AlarmPrioritySchema, AlarmViewSchema } from '../domain/alarms';
import { CameraIdSchema } from '../domain/camera';
import { RoleSchema } from '../domain/user';
import { invokeSpec } from './channel';

/**
 * Integrations: the HTTP API (`/api/v1/`, off by default), its tokens (one per integrated system, with a role and
 * an expiry, stored hashed), and alarms raised by other systems (access control, fire and intruder panels)
 * through the API or an MQTT topic. Times are epoch ms.
 */

/** An API token as lists show it: never the token itself (it is shown once, when created). */
export const ApiTokenViewSchema = z.object({
  /** Public id (the part of the token before the dot). */
  id: z.string(),
  /** The integration it was made for (e.g. "access-control"). */
  name: z.string(),
  /** Role the integration acts with: the permission matrix applies to it as to a user. */
  role: RoleSchema,
  createdMs: z.number(),
  createdBy: z.string(),
  /** After this time the token is refused; null = no expiry. */
  expiresMs: z.number().nullable(),
  /** When it was revoked (refused from then on), or null. */
  revokedMs: z.number().nullable(),
  revokedBy: z.string().nullable(),
  /** Last accepted request, or null. */
  lastUsedMs: z.number().nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenViewSchema>;

/** Integration names: letters, digits, spaces and `._-`, as they appear in audit rows (`api:<name>`). */
export const IntegrationNameSchema = z
  .string()
  .trim()
  .min(1, 'Name the integration.')
  .max(64, 'The name is too long (64 characters at most).')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'Use letters, digits, spaces, dots, dashes and underscores.');

/** Where an external alarm comes from and what it says (the body of `POST /api/v1/alarms`). */
export const InboundAlarmInputSchema = z.object({
  /** The sending system (e.g. "fire-panel"). With `eventId` it is the de-dup key: the same pair raises one alarm, ever. */
  source: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/, 'Invalid source name.'),
  /** The sender's own id of this event. */
  eventId: z.string().trim().min(1).max(128),
  /** 1 (most urgent) to 5. */
  priority: AlarmPrioritySchema,
  /** What the officer reads in the queue. */
  text: z.string().trim().min(1, 'Say what happened.').max(500, 'The text is too long (500 characters at most).'),
  /** A camera to show with the alarm (must exist). */
  cameraId: CameraIdSchema.optional(),
});
export type InboundAlarmInput = z.infer<typeof InboundAlarmInputSchema>;

export const InboundAlarmResultSchema = z.object({
  /** false when this source's event id had already raised an alarm (nothing changed). */
  created: z.boolean(),
  alarm: AlarmViewSchema,
});

/** How an MQTT message becomes an alarm: dot paths into the JSON payload (or a fixed value). */
export const MqttInboundSchema = z.object({
  enabled: z.boolean(),
  /** Broker, `mqtt://host:1883` or `mqtts://…` (credentials in the URL are masked when shown). */
  url: z.string().max(1000).regex(/^mqtts?:\/\/[^\s]+$/, 'Use mqtt://host:port or mqtts://host:port.'),
  /** Topic filter to subscribe to (wildcards allowed), e.g. `site/panels/+/alarm`. */
  topic: z.string().min(1).max(256),
  /** Source name when the payload has none at `sourcePath`. */
  source: z.string().min(1).max(64),
  /** Dot paths into the payload. `eventIdPath` and `textPath` are required fields of the message. */
  eventIdPath: z.string().min(1).max(128).default('id'),
  textPath: z.string().min(1).max(128).default('text'),
  priorityPath: z.string().min(1).max(128).default('priority'),
  sourcePath: z.string().min(1).max(128).optional(),
  cameraIdPath: z.string().min(1).max(128).optional(),
  /** Priority when the payload carries none. */
  defaultPriority: AlarmPrioritySchema.default(2),
});
export type MqttInbound = z.infer<typeof MqttInboundSchema>;

export const IntegrationSettingsSchema = z.object({
  /** The HTTP API answers (`/api/v1/`, `/metrics`); off by default. */
  apiEnabled: z.boolean(),
  /** Alarms from an MQTT topic; null = none. */
  mqttInbound: MqttInboundSchema.nullable(),
});
export type IntegrationSettings = z.infer<typeof IntegrationSettingsSchema>;

export const integrationsInvoke = {
  'integrations:tokens': invokeSpec(z.object({}).default({}), z.array(ApiTokenViewSchema), 'API tokens, newest first (never the tokens themselves).'),
  'integrations:token-create': invokeSpec(
    z.object({
      name: IntegrationNameSchema,
      role: RoleSchema,
      /** Days until it expires (1..3650); absent = no expiry. */
      days: z.number().int().min(1).max(3650).optional(),
    }),
    z.object({ token: ApiTokenViewSchema, /** Shown once: only its hash is stored. */ secret: z.string() }),
    'Creates an API token for one integration; the token is in the answer only, once.',
  ),
  'integrations:token-revoke': invokeSpec(z.object({ id: z.string().min(1).max(64) }), ApiTokenViewSchema, 'Revokes a token: refused from the next request on.'),
  'integrations:settings-get': invokeSpec(z.object({}).default({}), IntegrationSettingsSchema, 'Whether the HTTP API is on, and the MQTT alarm subscription.'),
  'integrations:settings-set': invokeSpec(IntegrationSettingsSchema.partial(), IntegrationSettingsSchema, 'Turns the HTTP API on or off, sets the MQTT alarm subscription.'),
  'integrations:raise-alarm': invokeSpec(InboundAlarmInputSchema, InboundAlarmResultSchema, 'An alarm from another system into the queue; the same source and event id raise it once.'),
} as const;
