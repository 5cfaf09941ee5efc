import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import type { HostApi } from '../../api/select-api';
import { createRendererStore } from '../store';
import { memorySessionKeeper } from './auth.actions';

/** A host that answers from a table of handlers (by channel) and records the calls. */
function fakeHost(handlers: Record<string, (input: unknown) => unknown>) {
  const calls: string[] = [];
  const api = {
    invoke: async (channel: string, input?: unknown) => {
      calls.push(channel);
      const h = handlers[channel];
      if (!h) throw new ApiError('internal', `no ${channel}`);
      return h(input);
    },
    on: () => () => {},
    subscribeFrames: () => () => {},
    status: () => ({ state: 'open', since: 0 }),
    onStatus: () => () => {},
  } as unknown as HostApi;
  return { api, calls };
}
const policy = { idleLockMinutes: 10, fourEyes: [] };
const forbidden = (reason: string, extra: Record<string, unknown> = {}) => new ApiError('forbidden', reason, { reason, ...extra });

describe('auth slice and the guarded API', () => {
  it('first run: setup, then signed in with the session kept', async () => {
    let user: unknown = null;
    const { api } = fakeHost({
      'auth:status': () => ({ needsSetup: user === null, user, locked: false, policy }),
      'auth:setup': () => ((user = { userId: 'u', name: 'boss', role: 'admin' }), { user, session: 'S' }),
    });
    const keeper = memorySessionKeeper();
    const store = createRendererStore(api, { sessionKeeper: keeper });
    await store.getState().actions.checkAuth();
    expect(store.getState().auth.phase).toBe('setup');
    await store.getState().actions.setupAdmin('boss', 'a long password');
    expect(store.getState().auth).toMatchObject({ phase: 'signed-in', user: { name: 'boss' } });
    expect(keeper.get()).toBe('S');
  });

  it('presents the kept device handle at sign-in and keeps the one the host returns (a malformed one is not sent)', async () => {
    const seen: unknown[] = [];
    let user: unknown = null;
    const D1 = 'd'.repeat(43);
    const D2 = 'e'.repeat(43);
    const { api } = fakeHost({
      'auth:status': () => ({ needsSetup: false, user, locked: false, policy }),
      'auth:login': (i) => (seen.push(i), (user = { userId: 'u', name: 'otto', role: 'officer' }), { user, session: 'S', device: D2 }),
    });
    const device = memorySessionKeeper();
    device.set(D1);
    const store = createRendererStore(api, { sessionKeeper: memorySessionKeeper(), deviceKeeper: device });
    await store.getState().actions.login('otto', 'a long password');
    expect(seen[0]).toEqual({ name: 'otto', password: 'a long password', device: D1 });
    expect(device.get()).toBe(D2);
    device.set('tampered');
    await store.getState().actions.login('otto', 'a long password');
    expect(seen[1]).toEqual({ name: 'otto', password: 'a long password' });
  });

  it('re-attaches the session once on signed-out, and shows sign-in when that fails', async () => {
    let attached = false;
    const { api, calls } = fakeHost({
      'cameras:list': () => {
        if (!attached) throw forbidden('signed-out');
        return [];
      },
      'auth:resume': (i) => {
        if ((i as { session: string }).session !== 'S') throw forbidden('signed-out');
        attached = true;
        return { userId: 'u', name: 'boss', role: 'admin' };
      },
    });
    const keeper = memorySessionKeeper();
    keeper.set('S');
    const store = createRendererStore(api, { sessionKeeper: keeper });
    store.setState((s) => ({ auth: { ...s.auth, phase: 'signed-in' } }));
    await store.getState().actions.loadCameras();
    expect(calls).toEqual(['cameras:list', 'auth:resume', 'cameras:list']);
    attached = false;
    keeper.set('gone');
    await store.getState().actions.loadCameras();
    expect(store.getState().auth.phase).toBe('login');
    expect(keeper.get()).toBeNull();
  });

  it('a password an admin chose: sign-in leads to "Choose your own password", then the app; a refusal for it leads back there', async () => {
    let mustChange = true;
    const seen: unknown[] = [];
    const otto = { userId: 'u', name: 'otto', role: 'officer' };
    const { api } = fakeHost({
      'auth:status': () => ({ needsSetup: false, user: otto, locked: false, mustChangePassword: mustChange, policy }),
      'auth:login': () => ({ user: otto, session: 'S' }),
      'auth:change-password': (i) => {
        const { current } = i as { current: string };
        if (current !== 'temporary pw') throw new ApiError('forbidden', 'Wrong name or password.', { reason: 'credentials' });
        seen.push(i);
        mustChange = false;
        return { ok: true };
      },
      'cameras:list': () => {
        throw forbidden('password-change');
      },
    });
    const store = createRendererStore(api);
    const a = store.getState().actions;
    await a.login('otto', 'temporary pw');
    expect(store.getState().auth).toMatchObject({ phase: 'choose-password', user: { name: 'otto' } });
    await a.chooseOwnPassword('not it', 'my own password');
    expect(store.getState().auth).toMatchObject({ phase: 'choose-password', error: 'Wrong name or password.' });
    await a.chooseOwnPassword('temporary pw', 'my own password');
    expect(seen).toEqual([{ current: 'temporary pw', next: 'my own password' }]);
    expect(store.getState().auth).toMatchObject({ phase: 'signed-in', error: null });
    // Should the host still refuse a call for it, the window goes back to that screen.
    await a.loadCameras();
    expect(store.getState().auth.phase).toBe('choose-password');
  });

  it('asks for confirmation, elevates and retries; cancelling refuses the action', async () => {
    let granted = false;
    const { api, calls } = fakeHost({
      'auth:set-policy': (p) => {
        if (!granted) throw forbidden('confirm', { confirm: 'four-eyes' });
        granted = false;
        return p;
      },
      'auth:elevate': (i) => {
        const { password, approver } = i as { password: string; approver?: { name: string } };
        if (password !== 'pw' || approver?.name !== 'adam') throw new ApiError('forbidden', 'Wrong name or password.', { reason: 'credentials' });
        granted = true;
        return { channel: 'auth:set-policy', expiresAt: '' };
      },
    });
    const store = createRendererStore(api);
    const a = store.getState().actions;
    const saving = a.savePolicy(policy);
    await expect.poll(() => store.getState().auth.confirm?.kind).toBe('four-eyes');
    await a.submitConfirm('pw', { name: 'eve', password: 'x' });
    expect(store.getState().auth.confirm).toMatchObject({ error: 'Wrong name or password.', errorSeq: 1 });
    await a.submitConfirm('pw', { name: 'adam', password: 'y' });
    expect(await saving).toBe(true);
    expect(store.getState().auth.confirm).toBeNull();
    expect(calls).toEqual(['auth:set-policy', 'auth:elevate', 'auth:elevate', 'auth:set-policy']);
    const again = a.savePolicy(policy);
    await expect.poll(() => store.getState().auth.confirm).not.toBeNull();
    a.cancelConfirm();
    expect(await again).toBe(false);
    expect(store.getState().auth.usersError).toBe('confirm');
  });
});
