import type { PrivacyMaskInput } from '../../../../shared/domain/privacy-mask';
import type { RetentionPolicy, RetentionReport } from '../../../../shared/domain/retention';
import type { CameraMasks } from '../../../../shared/ipc/masks.contract';
import type { RetentionStatus } from '../../../../shared/ipc/retention.contract';
import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';
import * as r from './privacy.reducers';

export interface PrivacyActions {
  /** Loads a camera's masks unless they are held or loading. */
  ensureMasks(cameraId: string): void;
  loadMasks(cameraId: string): Promise<void>;
  /** Saves a camera's masks; rejects with the host's error (shown by the editor). */
  saveMasks(cameraId: string, masks: PrivacyMaskInput[]): Promise<CameraMasks>;
  /** Lifts one mask for `minutes` (it restores itself); rejects with the host's error. */
  liftMask(cameraId: string, maskId: string, minutes: number, reason: string): Promise<CameraMasks>;
  /** Ends a lift early. */
  restoreMask(cameraId: string, maskId: string): Promise<CameraMasks>;
  loadRetention(): Promise<void>;
  saveRetention(policy: RetentionPolicy): Promise<RetentionStatus>;
  runRetention(): Promise<RetentionReport>;
}

export function createPrivacyActions({ api, set, get }: StoreDeps): PrivacyActions {
  const loading = new Set<string>();
  const received = (m: CameraMasks) => {
    set((s) => ({ privacy: r.masksReceived(s.privacy, m) }));
    return m;
  };
  const loadMasks = async (cameraId: string) => {
    loading.add(cameraId);
    try {
      received(await api.invoke('masks:get', { cameraId }));
    } catch (e) {
      set((s) => ({ privacy: r.masksLoadFailed(s.privacy, cameraId, errorMessage(e)) }));
    } finally {
      loading.delete(cameraId);
    }
  };
  return {
    loadMasks,
    ensureMasks(cameraId) {
      if (loading.has(cameraId) || get().privacy.masks[cameraId]) return;
      void loadMasks(cameraId);
    },
    saveMasks: async (cameraId, masks) => received(await api.invoke('masks:save', { cameraId, masks })),
    liftMask: async (cameraId, maskId, minutes, reason) => received(await api.invoke('masks:lift', { cameraId, maskId, minutes, reason })),
    restoreMask: async (cameraId, maskId) => received(await api.invoke('masks:restore', { cameraId, maskId })),
    async loadRetention() {
      try {
        const v = await api.invoke('retention:get');
        set((s) => ({ privacy: r.retentionReceived(s.privacy, v) }));
      } catch (e) {
        set((s) => ({ privacy: r.retentionLoadFailed(s.privacy, errorMessage(e)) }));
      }
    },
    async saveRetention(policy) {
      const v = await api.invoke('retention:set', { policy });
      set((s) => ({ privacy: r.retentionReceived(s.privacy, v) }));
      return v;
    },
    async runRetention() {
      const report = await api.invoke('retention:run');
      set((s) => ({ privacy: r.retentionRan(s.privacy, report) }));
      return report;
    },
  };
}
