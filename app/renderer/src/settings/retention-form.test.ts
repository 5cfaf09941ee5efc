import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_POLICY } from '../../../shared/domain/retention';
import { formFromPolicy, policyFromForm } from './retention-form';

describe('retention form', () => {
  it('round-trips a policy; an empty day field means keep forever', () => {
    expect(policyFromForm(formFromPolicy(DEFAULT_RETENTION_POLICY))).toEqual(DEFAULT_RETENTION_POLICY);
    const f = { ...formFromPolicy(DEFAULT_RETENTION_POLICY), eventsDays: '' };
    expect(policyFromForm(f)?.eventsDays).toBeNull();
  });
  it('refuses fractions, zero days, out-of-range intervals and empty required fields', () => {
    const base = formFromPolicy(DEFAULT_RETENTION_POLICY);
    expect(policyFromForm({ ...base, snapshotsDays: '1.5' })).toBeNull();
    expect(policyFromForm({ ...base, tracksDays: '0' })).toBeNull();
    expect(policyFromForm({ ...base, intervalMinutes: '2' })).toBeNull();
    expect(policyFromForm({ ...base, minFreeMb: '' })).toBeNull();
  });
});
