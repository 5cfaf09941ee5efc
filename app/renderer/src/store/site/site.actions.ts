import type { SiteSettings } from '../../../../shared/ipc/alarms.contract';
import { errorMessage } from '../../api/api-error';
import type { StoreDeps } from '../store-deps';
import type { SiteState } from './site.state';

export interface SiteActions {
  loadSiteSettings(): Promise<void>;
  /** Saves the fields given; the alarm screens show times in the new zone at once. True when saved. */
  saveSiteSettings(patch: Partial<SiteSettings>): Promise<boolean>;
}

export function createSiteActions({ api, set }: StoreDeps): SiteActions {
  const patch = (p: Partial<SiteState>) => set((s) => ({ site: { ...s.site, ...p } }));
  const received = (settings: SiteSettings) => set((s) => ({ site: { settings, error: null }, alarms: { ...s.alarms, timeZone: settings.timeZone } }));
  return {
    async loadSiteSettings() {
      try {
        received(await api.invoke('site:settings-get', {}));
      } catch (e) {
        patch({ error: errorMessage(e) });
      }
    },
    async saveSiteSettings(p) {
      try {
        received(await api.invoke('site:settings-set', p));
        return true;
      } catch (e) {
        patch({ error: errorMessage(e) });
        return false;
      }
    },
  };
}
