import { describe, expect, it } from 'vitest';
import { parseRulesFile } from '../../../../shared/domain/rules';
import { camerasPruned, countersReceived, rulesLoadFailed, rulesReceived, savingChanged } from './rules.reducers';
import { selectCameraCounters, selectCameraRules } from './rules.selectors';
import { initialRulesState } from './rules.state';
import type { RootState } from '../root-state';
import type { HostApi } from '../../api/select-api';
import { ApiError } from '../../api/api-error';
import { createRendererStore } from '../store';
import { selectRulesEditorCamera } from './rules.selectors';

/** Minimal scripted API: rules channels only, pushes by hand. */
function rulesApi() {
  const listeners = new Map<string, (p: unknown) => void>();
  let saved: unknown[] = [];
  const api = {
    invoke: (channel: string, input?: unknown) => {
      const i = input as { cameraId: string; rules: unknown[] };
      if (channel === 'rules:get') return Promise.resolve({ cameraId: i.cameraId, rules: saved, updatedAt: null });
      if (channel === 'rules:save') {
        if (i.rules.length > 1) return Promise.reject(new ApiError('invalid-input', 'invalid rules: x', [{ path: 'rules.1.points', message: 'bad' }]));
        saved = i.rules;
        return Promise.resolve({ cameraId: i.cameraId, rules: saved, updatedAt: '2026-01-01T00:00:00Z' });
      }
      return Promise.reject(new ApiError('not-found', channel));
    },
    on: (event: string, l: (p: unknown) => void) => {
      listeners.set(event, l);
      return () => listeners.delete(event);
    },
    subscribeFrames: () => () => {},
    status: () => ({ state: 'connecting', attempt: 1 }),
    onStatus: () => () => {},
  } as unknown as HostApi;
  return { api, push: (e: string, p: unknown) => listeners.get(e)?.(p) };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

const { rules } = parseRulesFile({ rules: [{ id: 'door', type: 'line', points: [[0, 0.5], [1, 0.5]] }] });

describe('rules slice', () => {
  it('holds rules per camera and clears a load error when they arrive', () => {
    let s = rulesLoadFailed(initialRulesState, 'a', 'boom');
    expect(s.loadErrors.a).toBe('boom');
    s = rulesReceived(s, 'a', rules, '2026-01-01T00:00:00Z');
    expect(s.byCamera.a).toEqual({ rules, updatedAt: '2026-01-01T00:00:00Z' });
    expect(s.loadErrors).toEqual({});
    s = savingChanged(s, 'a', true);
    expect(s.saving).toEqual({ a: true });
    s = savingChanged(s, 'a', false);
    expect(s.saving).toEqual({});
  });

  it('keeps the newest counters and prunes removed cameras', () => {
    let s = countersReceived(initialRulesState, { cameraId: 'a', counters: { door: { in: 3, out: 1 } }, at: '2026-01-01T00:00:02Z' });
    s = countersReceived(s, { cameraId: 'a', counters: { door: { in: 2, out: 1 } }, at: '2026-01-01T00:00:01Z' });
    expect(s.counters.a?.counters.door).toEqual({ in: 3, out: 1 });
    s = countersReceived(s, { cameraId: 'b', counters: { z: { occupancy: 2 } }, at: '2026-01-01T00:00:03Z' });
    s = rulesReceived(s, 'b', [], null);
    s = camerasPruned(s, ['a']);
    expect(Object.keys(s.counters)).toEqual(['a']);
    expect(Object.keys(s.byCamera)).toEqual([]);
  });

  it('selectors return stable empties for unknown cameras', () => {
    const root = { rules: initialRulesState } as RootState;
    expect(selectCameraRules('x')(root)).toBe(selectCameraRules('y')(root));
    expect(selectCameraCounters('x')(root)).toBe(selectCameraCounters('y')(root));
  });
});

describe('rules actions in the store', () => {
  it('loads once, saves, follows rules:changed and rules:counters pushes, and opens the editor', async () => {
    const f = rulesApi();
    const store = createRendererStore(f.api);
    const stop = store.getState().actions.start();
    const a = store.getState().actions;
    a.ensureRules('cam');
    a.ensureRules('cam');
    await tick();
    expect(store.getState().rules.byCamera.cam).toEqual({ rules: [], updatedAt: null });
    const v = await a.saveRules('cam', rules);
    expect(v.updatedAt).toBe('2026-01-01T00:00:00Z');
    expect(selectCameraRules('cam')(store.getState())).toEqual(rules);
    await expect(a.saveRules('cam', [...rules, ...rules])).rejects.toMatchObject({ code: 'invalid-input' });
    expect(selectCameraRules('cam')(store.getState())).toEqual(rules); // a rejected save changes nothing
    expect(store.getState().rules.saving).toEqual({});
    f.push('rules:changed', { cameraId: 'cam', rules: [] });
    expect(selectCameraRules('cam')(store.getState())).toEqual([]);
    f.push('rules:counters', { cameraId: 'cam', counters: { door: { in: 1, out: 0 } }, at: '2026-01-01T00:00:05Z' });
    expect(selectCameraCounters('cam')(store.getState())).toEqual({ door: { in: 1, out: 0 } });
    a.openRulesEditor('cam');
    expect(selectRulesEditorCamera(store.getState())).toBe('cam');
    a.openRulesEditor(null);
    expect(selectRulesEditorCamera(store.getState())).toBeNull();
    stop();
  });
});
