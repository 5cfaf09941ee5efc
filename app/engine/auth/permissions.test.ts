import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../shared/auth/permissions';
import type { Role } from '../../shared/domain/user';
import { invokeContract, type InvokeChannel } from '../../shared/ipc/contracts';
import { createUser, setupAdmin, signIn } from './as-role.test-support';
import { authTestEngine } from './engine-auth.test-support';

/**
 * The matrix as written in the README, checked cell by cell through the API (real accounts, real sessions):
 * P = public, * = any signed-in user, V/O/S/A = lowest role allowed (viewer, officer, supervisor, admin).
 * Total over channels: a new channel needs its row here too (the README's table is the same matrix).
 */
const EXPECTED: Record<InvokeChannel, 'P' | '*' | 'V' | 'O' | 'S' | 'A'> = {
  'app:info': 'V', 'cameras:list': 'V', 'models:status': 'V', 'rules:get': 'V', 'auth:policy': 'V', 'auth:change-password': 'V',
  'health:get': 'O', 'models:list': 'O', 'models:face-detector': 'O', 'events:list': 'O', 'events:review': 'O', 'counts:totals': 'O',
  'rules:save': 'S', 'rules:dry-run': 'S', 'events:void': 'S', 'events:correct': 'S', 'audit:list': 'S', 'audit:verify': 'S',
  'cameras:add': 'A', 'cameras:update': 'A', 'cameras:remove': 'A', 'cameras:set-enabled': 'A', 'models:set-default': 'A',
  'auth:set-policy': 'A', 'users:list': 'A', 'users:create': 'A', 'users:update': 'A', 'users:reset-password': 'A',
  'auth:status': 'P', 'auth:setup': 'P', 'auth:login': 'P', 'auth:resume': 'P',
  'auth:logout': '*', 'auth:lock': '*', 'auth:unlock': '*', 'auth:elevate': '*',
  'masks:get': 'V', 'site:settings-get': 'V', 'layouts:list': 'V', 'layouts:current': 'V', 'layouts:save': 'V', 'layouts:delete': 'V', 'layouts:set-current': 'V',
  'alarms:list': 'O', 'alarms:get': 'O', 'alarms:snapshot': 'O', 'alarms:rule-stats': 'O', 'alarms:arming': 'O', 'alarms:settings-get': 'O',
  'alarms:acknowledge': 'O', 'alarms:hold': 'O', 'alarms:resume': 'O', 'alarms:close': 'O',
  'alarms:shelve': 'O', 'alarms:unshelve': 'O', 'alarms:shelves': 'O', 'alarms:flood': 'V',
  'reports:book-list': 'O', 'reports:shift-current': 'O', 'reports:book-add': 'O', 'reports:shift-sign-off': 'O',
  'alarms:arm': 'S', 'alarms:disarm': 'S', 'alarms:set-switch': 'S', 'masks:save': 'S', 'masks:lift': 'S', 'masks:restore': 'S',
  'reports:build': 'S', 'reports:export': 'S', 'reports:cancel-export': 'S', 'reports:schedules': 'S', 'reports:schedule-save': 'S', 'reports:schedule-remove': 'S', 'reports:folders': 'S', 'reports:folders-set': 'A',
  'alarms:settings-set': 'A', 'site:settings-set': 'A', 'retention:get': 'A', 'retention:set': 'A', 'retention:run': 'A',
  'export:list': 'A', 'export:save': 'A', 'export:remove': 'A', 'export:test': 'A', 'export:dead-letters': 'A', 'export:retry-dead-letters': 'A', 'export:replay': 'A',
  'models:fetch-url': 'A', 'models:upload-begin': 'A', 'models:upload-chunk': 'A', 'models:upload-finish': 'A', 'models:upload-cancel': 'A', 'models:face-detector-remove': 'A',
  'downloads:prepare': 'S', 'downloads:save': 'S', 'downloads:open': 'S',
  'integrations:tokens': 'A', 'integrations:token-create': 'A', 'integrations:token-revoke': 'A', 'integrations:settings-get': 'A', 'integrations:settings-set': 'A', 'integrations:raise-alarm': 'O',
  'evidence:timeline': 'O', 'evidence:play': 'O', 'evidence:tracks': 'O', 'evidence:export': 'S', 'evidence:export-unmasked': 'S', 'evidence:cancel': 'S', 'evidence:verify': 'S',
  'recordings:ranges': 'O', 'recordings:camera-get': 'O', 'recordings:storage-get': 'O', 'recordings:camera-set': 'A', 'recordings:storage-set': 'A',
  'faces:list': 'S', 'faces:enrol': 'S', 'faces:remove': 'S', 'faces:export': 'S', 'faces:erase': 'S', 'faces:set-threshold': 'S',
  'faces:camera-get': 'A', 'faces:camera-set': 'A', 'faces:match-get': 'O', 'faces:match-decide': 'O',
};
const RANK = { V: 0, O: 1, S: 2, A: 3 } as const;
const ROLES: Role[] = ['viewer', 'officer', 'supervisor', 'admin'];
const letter = (c: InvokeChannel) => {
  const p = PERMISSIONS[c].min;
  return p === 'public' ? 'P' : p === 'session' ? '*' : ({ viewer: 'V', officer: 'O', supervisor: 'S', admin: 'A' } as const)[p];
};
const allowed = (c: InvokeChannel, role: Role): boolean => {
  const l = EXPECTED[c];
  return l === 'P' || l === '*' || ROLES.indexOf(role) >= RANK[l];
};

/** A payload no channel accepts as valid (void inputs refuse objects; object inputs miss their fields): nothing runs. */
const PROBE = { probe: 1, id: 5 };

let t: ReturnType<typeof authTestEngine>;
beforeAll(async () => {
  t = authTestEngine();
  await setupAdmin(t.engine, 'peer:admin');
  for (const role of ['viewer', 'officer', 'supervisor'] as const) await createUser(t.engine, 'peer:admin', `u-${role}`, role);
  for (const role of ['viewer', 'officer', 'supervisor'] as const) await signIn(t.engine, `peer:${role}`, `u-${role}`);
});
afterAll(() => t.done());

describe('permission matrix through the API', () => {
  const channels = Object.keys(invokeContract) as InvokeChannel[];

  it('has a row for every channel and matches the written-down matrix', () => {
    for (const c of channels) expect(PERMISSIONS[c], c).toBeDefined();
    for (const [c, l] of Object.entries(EXPECTED)) expect(letter(c as InvokeChannel), c).toBe(l);
  });

  for (const role of ROLES) {
    it(`${role}: every channel allowed or refused as the matrix says`, async () => {
      for (const c of channels) {
        const r = await t.engine.dispatch(c, PROBE, { peer: `peer:${role}` });
        const refusedByRole = !r.ok && r.error.code === 'forbidden' && (r.error.details as { reason?: string } | undefined)?.reason === 'role';
        expect({ channel: c, refused: refusedByRole }).toEqual({ channel: c, refused: !allowed(c, role) });
        if (refusedByRole && !r.ok) expect(r.error.message).toMatch(/does not allow/);
      }
    });
  }

  it('signed out: only the public channels answer', async () => {
    for (const c of channels) {
      const r = await t.engine.dispatch(c, PROBE, { peer: 'peer:nobody' });
      const signedOut = !r.ok && (r.error.details as { reason?: string } | undefined)?.reason === 'signed-out';
      expect({ channel: c, signedOut }).toEqual({ channel: c, signedOut: letter(c) !== 'P' });
    }
  });

  it('a refused call changes nothing (a viewer cannot add a camera)', async () => {
    const r = await t.engine.dispatch('cameras:add', { name: 'Door', source: '/v/door.mp4' }, { peer: 'peer:viewer' });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await t.engine.dispatch('cameras:list', undefined, { peer: 'peer:admin' })).toEqual({ ok: true, value: [] });
  });
});
