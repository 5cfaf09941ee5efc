import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../../shared/domain/camera';
import type { HealthReport } from '../../../shared/domain/health';
import { ApiError } from '../api/api-error';
import type { ConnectionStatus } from '../api/connection-status';
import type { HostApi } from '../api/select-api';
import { selectConnectionLost, selectDetectionOff } from './app/app.selectors';
import * as cr from './cameras/cameras.reducers';
import { gridColumns, selectCameras } from './cameras/cameras.selectors';
import { initialCamerasState, NEW_CAMERA } from './cameras/cameras.state';
import { pollDue, reportReceived } from './health/health.reducers';
import { sortComponents } from './health/health.selectors';
import { initialHealthState } from './health/health.state';
import { createRendererStore } from './store';
import { pageFromHash } from './ui/ui.state';

const cam = (id: string, extra: Partial<CameraView> = {}): CameraView => ({
  id,
  name: `Cam ${id}`,
  source: '/v.mp4',
  sourceKind: 'file',
  rtspTransport: 'tcp',
  analysisFps: 10,
  enabled: true,
  modelId: null,
  createdAt: '',
  updatedAt: '',
  state: { type: 'connecting', since: 1, attempt: 1 },
  ...extra,
});

describe('cameras reducers', () => {
  it('keeps list views and statesById in step', () => {
    let s = cr.listReceived(initialCamerasState, [cam('a'), cam('b')]);
    expect(s.loaded).toBe(true);
    const before = s.list[1];
    s = cr.stateChanged(s, 'a', { type: 'online', since: 5 });
    expect(s.list[0]!.state).toEqual({ type: 'online', since: 5 });
    expect(s.statesById.a).toEqual({ type: 'online', since: 5 });
    expect(s.list[1]).toBe(before); // untouched cameras keep their identity
    s = cr.stateChanged(s, 'zz', { type: 'disabled' });
    expect(s.list).toHaveLength(2);
    expect(s.statesById.zz).toEqual({ type: 'disabled' });
    s = cr.cameraUpserted(s, cam('c'));
    s = cr.cameraUpserted(s, cam('a', { name: 'Renamed' }));
    expect(s.list.map((c) => c.name)).toEqual(['Renamed', 'Cam b', 'Cam c']);
    s = cr.cameraRemoved(s, 'b');
    expect(s.list.map((c) => c.id)).toEqual(['a', 'c']);
    expect('b' in s.statesById).toBe(false);
  });

  it('tracks pending operations and their errors per key', () => {
    let s = cr.opStarted(initialCamerasState, NEW_CAMERA, 'add');
    expect(s.pending.new).toBe('add');
    s = cr.opFinished(s, NEW_CAMERA, { code: 'conflict', message: 'dup', fields: { name: 'dup' } });
    expect(s.pending.new).toBeUndefined();
    expect(s.errors.new?.fields.name).toBe('dup');
    s = cr.opStarted(s, NEW_CAMERA, 'add'); // a retry clears the old error
    expect(s.errors.new).toBeUndefined();
    s = cr.opFinished(s, NEW_CAMERA, null);
    expect(s.errors).toEqual({});
  });

  it('maps host error details onto form fields', () => {
    expect(cr.toOpError('invalid-input', 'bad', [{ path: ['patch', 'source'], message: 'Unsupported scheme' }, { path: ['analysisFps'], message: 'too big' }]).fields).toEqual({ source: 'Unsupported scheme', analysisFps: 'too big' });
    expect(cr.toOpError('invalid-input', 'bad', { issues: [{ path: ['name'], message: 'empty' }] }).fields).toEqual({ name: 'empty' });
    expect(cr.toOpError('invalid-input', 'bad', { fieldErrors: { name: ['taken'] } }).fields).toEqual({ name: 'taken' });
    expect(cr.toOpError('conflict', 'Name taken', { field: 'name' }).fields).toEqual({ name: 'Name taken' });
    expect(cr.toOpError('internal', 'boom', undefined)).toEqual({ code: 'internal', message: 'boom', fields: {} });
  });

  it('chooses 1, 2, 3 or 4 grid columns', () => {
    expect([0, 1, 2, 4, 5, 9, 10, 16, 30].map(gridColumns)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 4]);
  });
});

describe('health reducers', () => {
  const report = (at: string, level: HealthReport['level'] = 'healthy'): HealthReport => ({ level, at, components: [] });
  it('ignores a report older than the one held and knows when a poll is due', () => {
    let s = reportReceived(initialHealthState, report('2026-01-01T00:00:10Z'), 100);
    s = reportReceived(s, report('2026-01-01T00:00:05Z', 'unhealthy'), 200);
    expect(s.report?.level).toBe('healthy');
    expect(pollDue(s, 100 + 4_999, 5_000)).toBe(false);
    expect(pollDue(s, 100 + 5_000, 5_000)).toBe(true);
    expect(pollDue(initialHealthState, 0, 5_000)).toBe(true);
  });
  it('sorts the worst components first', () => {
    const c = (id: string, level: HealthReport['level'], kind: 'camera' | 'database' = 'camera') => ({ id, kind, name: id, level, detail: '', metrics: {} });
    expect(sortComponents([c('b', 'healthy'), c('a', 'unhealthy'), c('db', 'healthy', 'database'), c('c', 'degraded')]).map((x) => x.id)).toEqual(['a', 'c', 'db', 'b']);
  });
});

describe('ui', () => {
  it('reads the page from the hash', () => {
    expect(pageFromHash('#/cameras')).toBe('cameras');
    expect(pageFromHash('#health')).toBe('health');
    expect(pageFromHash('#/nope')).toBe('live');
    expect(pageFromHash('')).toBe('live');
  });
});

/** A scripted API: answers by channel, records calls, lets the test push events and status. */
function fakeApi(answers: Record<string, (input: unknown) => unknown>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = { state: 'open', since: 0 };
  const calls: { channel: string; input: unknown }[] = [];
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
    on: (event: string, l: (p: unknown) => void) => {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(l);
      return () => listeners.get(event)!.delete(l);
    },
    subscribeFrames: () => () => {},
    status: () => status,
    onStatus: (l: (s: ConnectionStatus) => void) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
  } as unknown as HostApi;
  return {
    api,
    calls,
    push: (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload)),
    setStatus: (s: ConnectionStatus) => {
      status = s;
      statusListeners.forEach((l) => l(s));
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('store actions', () => {
  const answers = {
    'cameras:list': () => [cam('a')],
    'health:get': () => ({ level: 'healthy', at: '2026-01-01T00:00:00Z', components: [] }),
    'app:info': () => ({ host: 'headless', version: '1', dataDir: '/d', platform: 'linux' }),
    'models:status': () => ({ state: 'off', modelId: null, message: 'Add a model with npm run models.', executionProvider: null }),
    'models:list': () => [],
  };

  it('loads everything on start and follows pushes; reloads after a reconnect', async () => {
    const f = fakeApi(answers);
    const store = createRendererStore(f.api);
    const stop = store.getState().actions.start();
    await tick();
    const s = store.getState();
    expect(selectCameras(s).map((c) => c.id)).toEqual(['a']);
    expect(s.app.info?.host).toBe('headless');
    expect(selectDetectionOff(s)).toBe(true);
    f.push('cameras:state', { id: 'a', state: { type: 'online', since: 9 } });
    expect(store.getState().cameras.list[0]!.state.type).toBe('online');
    f.push('cameras:changed', [cam('a'), cam('b')]);
    expect(store.getState().cameras.list).toHaveLength(2);
    f.setStatus({ state: 'reconnecting', attempt: 1, retryAt: 10, reason: 'x' });
    expect(selectConnectionLost(store.getState())).toBe(true);
    const before = f.calls.filter((c) => c.channel === 'cameras:list').length;
    f.setStatus({ state: 'open', since: 20 });
    await tick();
    expect(f.calls.filter((c) => c.channel === 'cameras:list').length).toBe(before + 1);
    expect(selectConnectionLost(store.getState())).toBe(false);
    stop();
  });

  it('records a failed add as field errors and a successful one in the list', async () => {
    const f = fakeApi({
      ...answers,
      'cameras:add': (input) => {
        if ((input as { name: string }).name === 'dup') throw new ApiError('conflict', 'Name in use.', [{ path: ['name'], message: 'Name in use.' }]);
        return cam('n', { name: (input as { name: string }).name });
      },
    });
    const store = createRendererStore(f.api);
    const { addCamera } = store.getState().actions;
    await expect(addCamera({ name: 'dup', source: '/v.mp4' })).resolves.toBeNull();
    expect(store.getState().cameras.errors.new).toEqual({ code: 'conflict', message: 'Name in use.', fields: { name: 'Name in use.' } });
    const v = await addCamera({ name: 'Door', source: '/v.mp4' });
    expect(v?.name).toBe('Door');
    expect(store.getState().cameras.errors.new).toBeUndefined();
    expect(store.getState().cameras.pending).toEqual({});
    expect(store.getState().cameras.list.map((c) => c.name)).toEqual(['Door']);
  });
});
