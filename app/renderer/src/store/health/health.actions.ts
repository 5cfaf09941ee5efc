import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';
import { pollDue, reportFailed, reportReceived } from './health.reducers';

/** Fallback poll period and staleness limit for health:get, ms. */
export const HEALTH_POLL_MS = 5_000;

export interface HealthActions {
  loadHealth(): Promise<void>;
  /** Polls health:get when no push arrived for HEALTH_POLL_MS. */
  pollHealthIfStale(): Promise<void>;
}

export function createHealthActions({ api, set, get, now }: StoreDeps): HealthActions {
  const loadHealth = async () => {
    try {
      const report = await api.invoke('health:get');
      set((s) => ({ health: reportReceived(s.health, report, now()) }));
    } catch (e) {
      set((s) => ({ health: reportFailed(s.health, errorMessage(e)) }));
    }
  };
  return {
    loadHealth,
    async pollHealthIfStale() {
      if (pollDue(get().health, now(), HEALTH_POLL_MS)) await loadHealth();
    },
  };
}
