import type { HealthReport } from '../../../../shared/domain/health';

export interface HealthState {
  /** Latest report (push or poll), null before the first. */
  report: HealthReport | null;
  /** Epoch ms at which `report` arrived. */
  receivedAt: number | null;
  /** Why the last poll failed, if it did. */
  error: string | null;
}
export const initialHealthState: HealthState = { report: null, receivedAt: null, error: null };
