import type { CameraMasks } from '../../../../shared/ipc/masks.contract';
import type { RetentionStatus } from '../../../../shared/ipc/retention.contract';

/** Privacy masks per camera and the retention policy with its last run. */
export interface PrivacyState {
  /** Camera id -> saved masks and lifts in force (present once loaded or pushed). */
  masks: Record<string, CameraMasks>;
  /** Camera id -> why loading its masks failed. */
  maskErrors: Record<string, string>;
  /** Retention policy, next run and last run; null until loaded. */
  retention: RetentionStatus | null;
  /** Why loading retention failed, or null. */
  retentionError: string | null;
}

export const initialPrivacyState: PrivacyState = { masks: {}, maskErrors: {}, retention: null, retentionError: null };
