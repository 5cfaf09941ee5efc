import type { SiteSettings } from '../../../../shared/ipc/alarms.contract';

/** Settings → Site (admin): the site's name, time zone and shift starts. */
export interface SiteState {
  /** null until the first load. */
  settings: SiteSettings | null;
  error: string | null;
}

export const initialSiteState: SiteState = { settings: null, error: null };
