import { describe, expect, it } from 'vitest';
import type { ApiTokenView } from '../../../../shared/ipc/integrations.contract';
import { ApiError } from '../../api/api-error';
import type { HostApi } from '../../api/select-api';
import { createRendererStore } from '../store';

const token = (id: string, extra: Partial<ApiTokenView> = {}): ApiTokenView => ({ id, name: id, role: 'officer', createdMs: 1, createdBy: 'admin', expiresMs: null, revokedMs: null, revokedBy: null, lastUsedMs: null, ...extra });

function fakeApi(answers: Record<string, (input: unknown) => unknown>) {
  const calls: Array<{ channel: string; input: unknown }> = [];
  const api = {
    invoke: (channel: string, input?: unknown) => {
      calls.push({ channel, input });
      const a = answers[channel];
      if (!a) return Promise.reject(new ApiError('not-found', `no ${channel}`));
      try {
        return Promise.resolve(a(input));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    on: () => () => {},
    subscribeFrames: () => () => {},
    status: () => ({ state: 'open', since: 0 }),
    onStatus: () => () => {},
  } as unknown as HostApi;
  return { api, calls };
}

describe('integrations actions (Settings → Integrations)', () => {
  it('loads, switches the API, keeps a new token secret until dismissed, revokes, and shows refusals', async () => {
    let settings = { apiEnabled: false, mqttInbound: null as unknown };
    const f = fakeApi({
      'integrations:settings-get': () => settings,
      'integrations:tokens': () => [token('old')],
      'integrations:settings-set': (input) => (settings = { ...settings, ...(input as object) }),
      'integrations:token-create': (input) => ({ token: token('new', { name: (input as { name: string }).name }), secret: 'wr_secret' }),
      'integrations:token-revoke': () => token('old', { revokedMs: 5, revokedBy: 'admin' }),
    });
    const store = createRendererStore(f.api);
    const a = store.getState().actions;
    await a.loadIntegrations();
    expect(store.getState().integrations).toMatchObject({ settings: { apiEnabled: false }, tokens: [{ id: 'old' }], error: null });
    await a.setApiEnabled(true);
    expect(store.getState().integrations.settings?.apiEnabled).toBe(true);
    expect(await a.createApiToken('door panel', 'viewer', 30)).toBe(true);
    expect(f.calls.find((c) => c.channel === 'integrations:token-create')?.input).toEqual({ name: 'door panel', role: 'viewer', days: 30 });
    expect(store.getState().integrations.created).toEqual({ name: 'door panel', secret: 'wr_secret' });
    expect(store.getState().integrations.tokens?.map((x) => x.id)).toEqual(['new', 'old']);
    a.dismissCreatedToken();
    expect(store.getState().integrations.created).toBeNull();
    await a.revokeApiToken('old');
    expect(store.getState().integrations.tokens?.find((x) => x.id === 'old')?.revokedMs).toBe(5);
    expect(await a.saveMqttInbound({ enabled: true, url: 'mqtt://b:1883', topic: 't/#', source: 'p', eventIdPath: 'id', textPath: 'text', priorityPath: 'priority', defaultPriority: 2 })).toBe(true);
    expect(store.getState().integrations.settings?.mqttInbound).toMatchObject({ topic: 't/#' });
    const refusing = fakeApi({ 'integrations:token-create': () => { throw new ApiError('forbidden', 'Your role (officer) does not allow this.'); } });
    const other = createRendererStore(refusing.api);
    expect(await other.getState().actions.createApiToken('x', 'viewer', undefined)).toBe(false);
    expect(other.getState().integrations.error).toMatch(/does not allow/);
  });
});
