import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_ORDER } from '../../../shared/auth/permissions';
import type { InvokeChannel } from '../../../shared/ipc/contracts';
import { permissionFor } from './permission';

describe('permissionFor (role-aware controls read the one permission table)', () => {
  it('agrees with the table for every role and channel', () => {
    for (const role of ROLE_ORDER) {
      for (const channel of Object.keys(PERMISSIONS) as InvokeChannel[]) {
        const min = PERMISSIONS[channel].min;
        const expected = min === 'public' || min === 'session' || ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(min);
        const p = permissionFor(role, channel);
        expect(p.allowed, `${role} ${channel}`).toBe(expected);
        expect(p.reason === '', `${role} ${channel} reason`).toBe(expected);
      }
    }
  });

  it('tells an officer in plain words why the rule editor cannot save', () => {
    expect(permissionFor('officer', 'rules:save')).toEqual({ allowed: false, reason: 'Needs the Supervisor role or higher (you are Officer).' });
    expect(permissionFor('officer', 'alarms:acknowledge')).toEqual({ allowed: true, reason: '' });
  });

  it('allows nothing before sign-in', () => {
    expect(permissionFor(null, 'cameras:list').allowed).toBe(false);
  });
});
