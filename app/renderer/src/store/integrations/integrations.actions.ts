import type { Role } from '../../../../shared/domain/user';
import type { MqttInbound } from '../../../../shared/ipc/integrations.contract';
import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';
import type { IntegrationsState } from './integrations.state';

export interface IntegrationsActions {
  loadIntegrations(): Promise<void>;
  /** Turns the HTTP API on or off (asks for the password). */
  setApiEnabled(enabled: boolean): Promise<void>;
  /** Creates a token; its secret is kept in `created` until dismissed. True when created. */
  createApiToken(name: string, role: Role, days: number | undefined): Promise<boolean>;
  revokeApiToken(id: string): Promise<void>;
  /** Forgets the secret shown once. */
  dismissCreatedToken(): void;
  /** Sets (or removes, null) the MQTT alarm subscription (asks for the password). True when saved. */
  saveMqttInbound(map: MqttInbound | null): Promise<boolean>;
}

export function createIntegrationsActions({ api, set, get }: StoreDeps): IntegrationsActions {
  const patch = (p: Partial<IntegrationsState>) => set((s) => ({ integrations: { ...s.integrations, ...p } }));
  const guard = async (fn: () => Promise<void>): Promise<boolean> => {
    try {
      await fn();
      patch({ error: null });
      return true;
    } catch (e) {
      patch({ error: errorMessage(e) });
      return false;
    }
  };
  const loadIntegrations = async () => {
    await guard(async () => patch({ settings: await api.invoke('integrations:settings-get', {}), tokens: await api.invoke('integrations:tokens', {}) }));
  };
  return {
    loadIntegrations,
    async setApiEnabled(enabled) {
      await guard(async () => patch({ settings: await api.invoke('integrations:settings-set', { apiEnabled: enabled }) }));
    },
    async createApiToken(name, role, days) {
      return guard(async () => {
        const r = await api.invoke('integrations:token-create', { name, role, ...(days ? { days } : {}) });
        patch({ created: { name: r.token.name, secret: r.secret }, tokens: [r.token, ...(get().integrations.tokens ?? [])] });
      });
    },
    async revokeApiToken(id) {
      await guard(async () => {
        const r = await api.invoke('integrations:token-revoke', { id });
        patch({ tokens: (get().integrations.tokens ?? []).map((x) => (x.id === id ? r : x)) });
      });
    },
    dismissCreatedToken() {
      patch({ created: null });
    },
    async saveMqttInbound(map) {
      return guard(async () => patch({ settings: await api.invoke('integrations:settings-set', { mqttInbound: map }) }));
    },
  };
}
