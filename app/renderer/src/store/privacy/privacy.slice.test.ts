import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_POLICY, type RetentionReport } from '../../../../shared/domain/retention';
import type { CameraMasks } from '../../../../shared/ipc/masks.contract';
import { masksLoadFailed, masksReceived, privacyCamerasPruned, retentionRan, retentionReceived } from './privacy.reducers';
import { initialPrivacyState } from './privacy.state';

const masks = (cameraId: string): CameraMasks => ({ cameraId, masks: [{ id: 'm', points: [[0, 0], [1, 0], [1, 1]], style: 'solid', detections: 'ignore' }], lifts: [], updatedAt: null });
const report: RetentionReport = {
  at: '2026-01-01T00:00:00Z',
  trigger: 'manual',
  by: 'system',
  durationMs: 3,
  removed: { events: 1, snapshots: 2, snapshotBytes: 10, tracks: 0, reports: 0 },
  keptAmendedEvents: 0,
  eventsHorizon: null,
  diskPressure: null,
  errors: [],
};

describe('privacy slice', () => {
  it('holds masks per camera, clears a load error when they arrive, and prunes removed cameras', () => {
    let s = masksLoadFailed(initialPrivacyState, 'a', 'boom');
    s = masksReceived(s, masks('a'));
    expect(s.maskErrors).toEqual({});
    s = masksReceived(s, masks('b'));
    s = privacyCamerasPruned(s, ['b']);
    expect(Object.keys(s.masks)).toEqual(['b']);
  });
  it('keeps the policy and takes a pushed run as the last run (ignored before retention loads)', () => {
    expect(retentionRan(initialPrivacyState, report)).toBe(initialPrivacyState);
    let s = retentionReceived(initialPrivacyState, { policy: DEFAULT_RETENTION_POLICY, lastRun: null, nextRunAt: null });
    s = retentionRan(s, report);
    expect(s.retention).toEqual({ policy: DEFAULT_RETENTION_POLICY, lastRun: report, nextRunAt: null });
  });
});
