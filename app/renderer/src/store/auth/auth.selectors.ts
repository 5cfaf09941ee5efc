import { roleAllows } from '../../../../shared/auth/permissions';
import type { InvokeChannel } from '../../../../shared/ipc/contracts';
import type { RootState } from '../root-state';
import type { Page } from '../ui/ui.state';

export const selectAuth = (s: RootState) => s.auth;
export const selectUser = (s: RootState) => s.auth.user;
export const selectConfirm = (s: RootState) => s.auth.confirm;
/** Whether the signed-in user's role may call a channel (to hide what the host would refuse anyway). */
export const selectCan = (channel: InvokeChannel) => (s: RootState): boolean => !!s.auth.user && roleAllows(s.auth.user.role, channel);

/**
 * The channel a page needs: its menu entry shows only to roles allowed to call it (the host enforces it anyway).
 * Total over pages, so a new page must say which.
 */
const PAGE_CHANNEL: Record<Page, InvokeChannel> = {
  live: 'cameras:list',
  alarms: 'alarms:list',
  monitor: 'alarms:list',
  events: 'events:review',
  // Viewers see live only; officers play back.
  playback: 'evidence:play',
  cameras: 'cameras:add',
  // Officers keep the occurrence book and sign off their shift there; the dashboard and exports are supervisors'.
  reports: 'reports:book-list',
  health: 'health:get',
  models: 'models:list',
  settings: 'retention:get',
  export: 'export:list',
  users: 'users:list',
  audit: 'audit:list',
  // Supervisors enrol; each look at the list is audited.
  watchlist: 'faces:list',
};

export const pageAllowed = (s: RootState, page: Page): boolean => {
  const c = PAGE_CHANNEL[page];
  return !!s.auth.user && roleAllows(s.auth.user.role, c);
};
