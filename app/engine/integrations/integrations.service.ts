import type { ComponentHealth } from '../../shared/domain/health';
import { Emitter } from '../../shared/events/emitter';
import type { Role } from '../../shared/domain/user';
import { IntegrationSettingsSchema, type InboundAlarmInput, type IntegrationSettings } from '../../shared/ipc/integrations.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import { maskUrlCredentials, restoreMaskedCredentials } from '../../shared/url-masking';
import type { InboundAlarms } from '../alarms/inbound-alarms';
import type { Logger } from '../logging/logger';
import type { Db } from '../storage/database';
import type { SettingsRepository } from '../storage/settings.repository';
import { ApiTokensRepository } from './api-tokens.repository';
import { MqttInboundSubscriber } from './mqtt-inbound';

export const INTEGRATIONS_SETTINGS_KEY = 'integrations.settings';
const DEFAULTS: IntegrationSettings = { apiEnabled: false, mqttInbound: null };

export interface IntegrationsServiceOptions {
  db: Db;
  settings: SettingsRepository;
  inbound: InboundAlarms;
  logger: Logger;
  now?: () => number;
}

/**
 * API tokens, the API's on/off setting and alarms from other systems (HTTP API and the MQTT subscription).
 * The HTTP API itself lives with the hosts (app/server/api); it reaches this service through the dispatcher
 * (token management, raising alarms) and `tokens.verify` (every request).
 */
export class IntegrationsService {
  readonly tokens: ApiTokensRepository;
  readonly mqtt: MqttInboundSubscriber;
  private readonly settingsChanges: Emitter<[settings: IntegrationSettings]>;

  constructor(private readonly o: IntegrationsServiceOptions) {
    this.tokens = new ApiTokensRepository(o.db, o.now);
    this.settingsChanges = new Emitter({ name: 'integration settings', log: o.logger });
    this.mqtt = new MqttInboundSubscriber({ logger: o.logger, raise: (input) => this.raiseAlarm(input, `mqtt:${input.source}`) });
  }

  start(): void {
    this.mqtt.configure(this.stored().mqttInbound);
  }

  stop(): void {
    this.mqtt.stop();
  }

  private stored(): IntegrationSettings {
    return this.o.settings.get(INTEGRATIONS_SETTINGS_KEY, IntegrationSettingsSchema) ?? DEFAULTS;
  }

  /** The settings as shown (the broker URL's credentials masked). */
  settings(): IntegrationSettings {
    const s = this.stored();
    return s.mqttInbound ? { ...s, mqttInbound: { ...s.mqttInbound, url: maskUrlCredentials(s.mqttInbound.url) } } : s;
  }

  /** Whether the HTTP API answers (hosts check it on every request, so turning it off applies at once). */
  apiEnabled(): boolean {
    return this.stored().apiEnabled;
  }

  setSettings(patch: Partial<IntegrationSettings>): IntegrationSettings {
    const saved = this.stored();
    const next: IntegrationSettings = { ...saved, ...patch };
    if (patch.mqttInbound && saved.mqttInbound) {
      // `***` sent back keeps the saved password (same scheme, user and host only).
      const kept = restoreMaskedCredentials(patch.mqttInbound.url, saved.mqttInbound.url);
      if (!kept.ok) throw new AppErrorException('invalid-input', 'Type the broker password again: the address changed.');
      next.mqttInbound = { ...patch.mqttInbound, url: kept.url };
    }
    this.o.settings.set(INTEGRATIONS_SETTINGS_KEY, IntegrationSettingsSchema.parse(next));
    this.mqtt.configure(next.mqttInbound);
    this.settingsChanges.emit(this.settings());
    return this.settings();
  }

  /** Called when the settings change (the desktop host starts or stops its API server). */
  onSettings(fn: (s: IntegrationSettings) => void): () => void {
    const sub = this.settingsChanges.on(fn);
    return () => sub.dispose();
  }

  createToken(name: string, role: Role, days: number | undefined, by: string) {
    return this.tokens.create(name, role, days, by);
  }

  /** Health: the MQTT alarm subscription, while it is configured (degraded while not subscribed). */
  health(): ComponentHealth[] {
    const map = this.stored().mqttInbound;
    if (!map?.enabled) return [];
    const ready = this.mqtt.ready;
    return [
      {
        id: 'integrations:mqtt-inbound',
        kind: 'exporter',
        name: 'Alarms from MQTT',
        level: ready ? 'healthy' : 'degraded',
        detail: ready ? `Subscribed to ${map.topic} at ${maskUrlCredentials(map.url)}.` : `Not connected to ${maskUrlCredentials(map.url)}: alarms from ${map.topic} do not arrive; retrying.`,
        metrics: {},
      },
    ];
  }

  /** Alarms per kind and status (for /metrics). */
  alarmCounts(): Array<{ kind: string; status: string; count: number }> {
    return this.o.db.prepare('SELECT kind, status, COUNT(*) AS count FROM alarms GROUP BY kind, status ORDER BY kind, status').all() as Array<{ kind: string; status: string; count: number }>;
  }

  raiseAlarm(input: InboundAlarmInput, by: string) {
    return this.o.inbound.raise(input, by);
  }
}
