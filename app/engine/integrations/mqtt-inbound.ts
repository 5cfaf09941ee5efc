import mqtt, { type MqttClient } from 'mqtt';
import { InboundAlarmInputSchema, type InboundAlarmInput, type MqttInbound } from '../../shared/ipc/integrations.contract';
import { maskUrlCredentials } from '../../shared/url-masking';
import type { Logger } from '../logging/logger';

/** Reads a dot path (`a.b.0.c`) of a parsed JSON payload. */
export function readPath(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const asText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);

/**
 * One MQTT message -> the alarm it asks for, through the configured mapping (dot paths into the JSON payload);
 * the result is checked by the same schema as `POST /api/v1/alarms`. A message that is not JSON or misses a
 * required field is refused with the reason (logged), never half-read.
 */
export function alarmFromMqtt(map: MqttInbound, topic: string, payload: Buffer): { ok: true; input: InboundAlarmInput } | { ok: false; why: string } {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, why: 'payload is not JSON' };
  }
  const priority = readPath(body, map.priorityPath);
  const candidate = {
    source: (map.sourcePath ? asText(readPath(body, map.sourcePath)) : undefined) ?? map.source,
    eventId: asText(readPath(body, map.eventIdPath)),
    text: asText(readPath(body, map.textPath)),
    priority: priority === undefined ? map.defaultPriority : typeof priority === 'string' ? Number(priority) : priority,
    ...(map.cameraIdPath && readPath(body, map.cameraIdPath) !== undefined ? { cameraId: asText(readPath(body, map.cameraIdPath)) } : {}),
  };
  const parsed = InboundAlarmInputSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, why: `${topic}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ')}` };
  return { ok: true, input: parsed.data };
}

export interface MqttInboundOptions {
  logger: Logger;
  /** Raises the alarm (de-dup by source + event id happens there). */
  raise: (input: InboundAlarmInput) => void;
  /** Reconnect delay after a lost connection (default 5 s). */
  reconnectMs?: number;
}

/**
 * The MQTT alarm subscription: one client, subscribed (QoS 1) to the configured topic filter, each message mapped
 * by alarmFromMqtt and raised. `configure(null)` or a disabled mapping disconnects. Reconnects by itself.
 */
export class MqttInboundSubscriber {
  private client: MqttClient | null = null;
  private current = '';
  private subscribed = false;
  private readonly log: Logger;

  constructor(private readonly o: MqttInboundOptions) {
    this.log = o.logger.child({ component: 'mqtt-inbound' });
  }

  configure(map: MqttInbound | null): void {
    const key = map?.enabled ? JSON.stringify(map) : '';
    if (key === this.current) return;
    this.stop();
    this.current = key;
    if (!map?.enabled) return;
    const c = mqtt.connect(map.url, {
      clientId: `watchroom-inbound-${Math.random().toString(36).slice(2, 10)}`,
      reconnectPeriod: this.o.reconnectMs ?? 5000,
      connectTimeout: 10_000,
      clean: true,
    });
    this.client = c;
    const where = maskUrlCredentials(map.url);
    c.on('connect', () => {
      this.log.info('connected', { url: where, topic: map.topic });
      c.subscribe(map.topic, { qos: 1 }, (err) => {
        if (err) this.log.warn('subscribe failed', { topic: map.topic, err });
        else if (this.client === c) this.subscribed = true;
      });
    });
    c.on('close', () => (this.subscribed = false));
    c.on('error', (err) => this.log.warn('connection error', { url: where, err: err.message }));
    c.on('message', (topic, payload) => {
      const r = alarmFromMqtt(map, topic, payload);
      if (!r.ok) return this.log.warn('message refused', { why: r.why });
      try {
        this.o.raise(r.input);
      } catch (err) {
        this.log.warn('alarm from MQTT refused', { topic, err: (err as Error).message });
      }
    });
  }

  /** Whether the client is connected and subscribed (Health and tests). */
  get ready(): boolean {
    return this.subscribed && (this.client?.connected ?? false);
  }

  stop(): void {
    const c = this.client;
    this.client = null;
    this.current = '';
    this.subscribed = false;
    if (c) c.end(true);
  }
}
