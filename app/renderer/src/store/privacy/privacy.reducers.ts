import type { RetentionReport } from '../../../../shared/domain/retention';
import type { CameraMasks } from '../../../../shared/ipc/masks.contract';
import type { RetentionStatus } from '../../../../shared/ipc/retention.contract';
import type { PrivacyState } from './privacy.state';

const without = <V>(rec: Record<string, V>, key: string): Record<string, V> => {
  if (!(key in rec)) return rec;
  const { [key]: _drop, ...rest } = rec;
  return rest;
};

export function masksReceived(s: PrivacyState, m: CameraMasks): PrivacyState {
  return { ...s, masks: { ...s.masks, [m.cameraId]: m }, maskErrors: without(s.maskErrors, m.cameraId) };
}
export function masksLoadFailed(s: PrivacyState, cameraId: string, message: string): PrivacyState {
  return { ...s, maskErrors: { ...s.maskErrors, [cameraId]: message } };
}
export function retentionReceived(s: PrivacyState, retention: RetentionStatus): PrivacyState {
  return { ...s, retention, retentionError: null };
}
export function retentionLoadFailed(s: PrivacyState, message: string): PrivacyState {
  return { ...s, retentionError: message };
}
/** A run finished (push): it becomes the last run; the policy is unchanged. */
export function retentionRan(s: PrivacyState, report: RetentionReport): PrivacyState {
  if (!s.retention) return s;
  return { ...s, retention: { ...s.retention, lastRun: report } };
}
/** Forgets cameras that no longer exist. */
export function privacyCamerasPruned(s: PrivacyState, ids: readonly string[]): PrivacyState {
  const keep = new Set(ids);
  const pick = <V>(rec: Record<string, V>) => Object.fromEntries(Object.entries(rec).filter(([k]) => keep.has(k)));
  return { ...s, masks: pick(s.masks), maskErrors: pick(s.maskErrors) };
}
