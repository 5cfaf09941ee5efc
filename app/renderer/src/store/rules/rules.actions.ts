import type { Rule } from '../../../../shared/domain/rules';
import type { InvokeOutput } from '../../../../shared/ipc/contracts';
import type { CameraRules } from '../../../../shared/ipc/rules.contract';
import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';
import * as r from './rules.reducers';

export interface RulesActions {
  /** Loads the saved rules of a camera (again). */
  loadRules(cameraId: string): Promise<void>;
  /** Loads a camera's rules unless they are held or loading. */
  ensureRules(cameraId: string): void;
  /** Saves a camera's rules; resolves the saved rules, rejects with the host's error (shown by the editor). */
  saveRules(cameraId: string, rules: Rule[]): Promise<CameraRules>;
  /** Replays the camera's stored tracks (last 24 h) through a rule as edited, unsaved; includes quality warnings. */
  dryRunRule(cameraId: string, rule: Rule): Promise<InvokeOutput<'rules:dry-run'>>;
  /** Opens the rule editor for a camera, or closes it (null). */
  openRulesEditor(cameraId: string | null): void;
}

export function createRulesActions({ api, set, get }: StoreDeps): RulesActions {
  const loading = new Set<string>();
  const loadRules = async (cameraId: string) => {
    loading.add(cameraId);
    try {
      const v = await api.invoke('rules:get', { cameraId });
      set((s) => ({ rules: r.rulesReceived(s.rules, cameraId, v.rules, v.updatedAt) }));
    } catch (e) {
      set((s) => ({ rules: r.rulesLoadFailed(s.rules, cameraId, errorMessage(e)) }));
    } finally {
      loading.delete(cameraId);
    }
  };
  return {
    loadRules,
    ensureRules(cameraId) {
      if (loading.has(cameraId) || get().rules.byCamera[cameraId]) return;
      void loadRules(cameraId);
    },
    async saveRules(cameraId, rules) {
      set((s) => ({ rules: r.savingChanged(s.rules, cameraId, true) }));
      try {
        const v = await api.invoke('rules:save', { cameraId, rules });
        set((s) => ({ rules: r.rulesReceived(s.rules, cameraId, v.rules, v.updatedAt) }));
        return v;
      } finally {
        set((s) => ({ rules: r.savingChanged(s.rules, cameraId, false) }));
      }
    },
    dryRunRule: (cameraId, rule) => api.invoke('rules:dry-run', { cameraId, rule }),
    openRulesEditor: (cameraId) => set((s) => ({ ui: { ...s.ui, rulesCameraId: cameraId } })),
  };
}
