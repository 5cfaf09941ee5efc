import mqtt, { type MqttClient } from 'mqtt';
import type { ExportEvent } from '../../shared/domain/export';
import { auditHeadText, networkErrorMessage, SinkError, type BatchContext, type DeliveryResult, type Sink } from './sink';

/** MQTT target settings (see MqttTargetSchema). */
export interface MqttSinkOptions {
  sinkId: string;
  site: string;
  url: string;
  username: string;
  password: string;
  topicPrefix: string;
  caPem: string;
  /** Connect timeout, ms. */
  connectTimeoutMs: number;
}

/** Topic of an event: `<prefix>/<site>/events/<type>` (type with '.' → '_', e.g. line_cross). */
export function eventTopic(prefix: string, site: string, type: string): string {
  return `${prefix}/${site}/events/${type.replace(/\./g, '_')}`;
}

/** Retained camera status topic: `<prefix>/<site>/cameras/<cameraId>/status`. */
export function cameraStatusTopic(prefix: string, site: string, cameraId: string): string {
  return `${prefix}/${site}/cameras/${cameraId}/status`;
}

/** Retained topic with the audit trail's head of the site's workstation (`<row id>.<row hash>`), sent with every batch. */
export function auditHeadTopic(prefix: string, site: string): string {
  return `${prefix}/${site}/audit/head`;
}

/**
 * Flat, Home Assistant-friendly payload: the event's fields at the top level (`id`, `type`, `site`, `camera`,
 * `rule`, `at`, then the type's data such as `direction`, `cls`, `state`), so a sensor's `value_template` is
 * `{{ value_json.direction }}`. `id` is there for de-duplication downstream.
 */
export function mqttPayload(e: ExportEvent): string {
  return JSON.stringify({ id: e.id, type: e.type, site: e.site, camera: e.cameraId, rule: e.ruleId, at: e.at, ...e.data });
}

/**
 * Publishes each event with QoS 1 (the broker acknowledges each; a batch is done when every PUBACK came back).
 * Camera status is also published retained, so a subscriber that connects later sees each camera's last state.
 */
export class MqttSink implements Sink {
  private client: MqttClient | null = null;
  private connecting: Promise<MqttClient> | null = null;
  private readonly host: string;

  constructor(private readonly o: MqttSinkOptions) {
    this.host = safeHost(o.url);
  }

  async deliver(events: readonly ExportEvent[], signal: AbortSignal, batch?: BatchContext): Promise<DeliveryResult> {
    const client = await this.connect(signal);
    // mqtt.js leaves a publish pending forever when the connection is gone: the abort (timeout) settles it.
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        this.drop();
        reject(new SinkError('transient', `${this.host} did not acknowledge in time (connection lost?).`));
      };
    });
    aborted.catch(() => undefined);
    const onClose = () => onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    client.once('close', onClose);
    try {
      const pubs: Promise<unknown>[] = [];
      for (const e of events) {
        const payload = mqttPayload(e);
        pubs.push(client.publishAsync(eventTopic(this.o.topicPrefix, this.o.site, e.type), payload, { qos: 1 }));
        if (e.type === 'camera.status' && e.cameraId) pubs.push(client.publishAsync(cameraStatusTopic(this.o.topicPrefix, this.o.site, e.cameraId), payload, { qos: 1, retain: true }));
      }
      if (batch?.auditHead && events.length) pubs.push(client.publishAsync(auditHeadTopic(this.o.topicPrefix, this.o.site), auditHeadText(batch.auditHead), { qos: 1, retain: true }));
      await Promise.race([Promise.all(pubs), aborted]);
      return { rejected: [] };
    } catch (err) {
      this.drop();
      if (err instanceof SinkError) throw err;
      throw this.mapError(err, signal);
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.off('close', onClose);
    }
  }

  async test(signal: AbortSignal): Promise<void> {
    await this.connect(signal);
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    this.connecting = null;
    if (c) await c.endAsync(true).catch(() => undefined);
  }

  private connect(signal: AbortSignal): Promise<MqttClient> {
    if (this.client?.connected) return Promise.resolve(this.client);
    if (this.client) this.drop();
    if (this.connecting) return this.connecting;
    const p = new Promise<MqttClient>((resolve, reject) => {
      const c = mqtt.connect(this.o.url, {
        // Unique per connection: a broker drops an older connection that has the same client id (the admin's
        // "Test" must not cut the delivery loop's). Sessions are clean, so nothing hangs on a stable id.
        clientId: `watchroom-${this.o.site}-${this.o.sinkId}`.slice(0, 56) + '-' + Math.random().toString(36).slice(2, 8),
        username: this.o.username || undefined,
        password: this.o.password || undefined,
        reconnectPeriod: 0,
        connectTimeout: this.o.connectTimeoutMs,
        clean: true,
        ...(this.o.caPem.trim() ? { ca: this.o.caPem, rejectUnauthorized: true } : {}),
      });
      const fail = (err: unknown) => {
        cleanup();
        c.end(true);
        reject(err instanceof SinkError ? err : this.mapError(err, signal));
      };
      const onAbort = () => fail(new SinkError('transient', `${this.host} did not answer in time.`));
      const onClose = () => fail(new SinkError('transient', `${this.host} closed the connection.`));
      const cleanup = () => {
        c.off('error', fail);
        c.off('close', onClose);
        signal.removeEventListener('abort', onAbort);
      };
      c.once('connect', () => {
        cleanup();
        c.on('error', () => undefined);
        c.on('close', () => {
          if (this.client === c) this.client = null;
        });
        this.client = c;
        resolve(c);
      });
      c.on('error', fail);
      c.on('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    this.connecting = p;
    const clear = () => {
      if (this.connecting === p) this.connecting = null;
    };
    p.then(clear, clear);
    return p;
  }

  private drop(): void {
    const c = this.client;
    this.client = null;
    c?.end(true);
  }

  private mapError(err: unknown, signal: AbortSignal): SinkError {
    if (signal.aborted) return new SinkError('transient', `${this.host} did not answer in time.`);
    const e = err as { code?: number | string; message?: string };
    if (e && (e.code === 4 || e.code === 5 || e.code === 134 || e.code === 135)) {
      return new SinkError('config', `The broker ${this.host} refused the user name or password.`);
    }
    if (e?.message && /not authori[sz]ed|bad user ?name or password/i.test(e.message)) return new SinkError('config', `The broker ${this.host} refused the user name or password.`);
    return networkErrorMessage(err, this.host) ?? new SinkError('transient', `Publishing to ${this.host} failed: ${e?.message ?? String(err)}`);
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the broker';
  }
}
