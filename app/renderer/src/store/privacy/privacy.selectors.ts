import type { RetentionStatus } from '../../../../shared/ipc/retention.contract';
import type { CameraMasks } from '../../../../shared/ipc/masks.contract';
import type { RootState } from '../root-state';

/** Saved masks and lifts of a camera, or null before they load. */
export const selectCameraMasks = (id: string) => (s: RootState): CameraMasks | null => s.privacy.masks[id] ?? null;
export const selectMasksLoadError = (id: string) => (s: RootState): string | null => s.privacy.maskErrors[id] ?? null;
export const selectRetention = (s: RootState): RetentionStatus | null => s.privacy.retention;
export const selectRetentionError = (s: RootState): string | null => s.privacy.retentionError;
