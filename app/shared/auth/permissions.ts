import type { Role } from '../domain/user';
import type { InvokeChannel } from '../ipc/contracts';

/**
 * THE permission matrix: one row per invoke channel, typed as a total map so a new channel without a row does
 * not compile. The engine's dispatcher enforces it for every call (app/engine/auth/access-control.ts) and writes
 * an audit row for every successful call of a channel marked `changes`. The README's table is this one.
 *
 * Roles are ordered viewer < officer < supervisor < admin; `min` is the lowest role allowed.
 *   viewer      live view only (cameras, rules and masks overlay, detection status, own layouts)
 *   officer     + review events and counts, health, models list, alarms (acknowledge, hold, close),
 *                 occurrence book and shift sign-off, playback of recordings
 *   supervisor  + rules, masks and mask lifts, alarm arming, void/correct ledger rows, reports, audit trail,
 *                 evidence exports (password re-entry or four-eyes; without masks: what a mask lift needs)
 *   admin       + users, cameras, models, settings, retention, export sinks
 */
export const ROLE_ORDER: readonly Role[] = ['viewer', 'officer', 'supervisor', 'admin'];

export interface ChannelPermission {
  /**
   * Who may call: `public` (no session: sign-in), `session` (any signed-in user, also while locked: sign-out,
   * unlock), or the lowest role allowed.
   */
  readonly min: Role | 'public' | 'session';
  /** The call changes state: every successful call is written to the audit trail. */
  readonly changes: boolean;
  /** Re-enter the password first (`auth:elevate`); `four-eyes` also accepts the site's four-eyes rule. */
  readonly confirm?: 'password' | 'four-eyes';
}

const read = (min: ChannelPermission['min']): ChannelPermission => ({ min, changes: false });
const write = (min: ChannelPermission['min'], confirm?: ChannelPermission['confirm']): ChannelPermission => ({ min, changes: true, ...(confirm ? { confirm } : {}) });

export const PERMISSIONS: Record<InvokeChannel, ChannelPermission> = {
  'app:info': read('viewer'),
  'cameras:list': read('viewer'),
  'cameras:add': write('admin'),
  'cameras:update': write('admin'),
  'cameras:remove': write('admin', 'password'),
  'cameras:set-enabled': write('admin'),
  'health:get': read('officer'),
  'models:list': read('officer'),
  'models:set-default': write('admin'),
  'models:fetch-url': write('admin'),
  // An import is audited once, when it is installed (finish); its start, pieces and cancel change nothing lasting.
  'models:upload-begin': read('admin'),
  'models:upload-chunk': read('admin'),
  'models:upload-finish': write('admin'),
  'models:upload-cancel': read('admin'),
  'models:face-detector': read('officer'),
  'models:face-detector-remove': write('admin'),
  'models:status': read('viewer'),
  'rules:get': read('viewer'),
  'rules:save': write('supervisor'),
  'rules:dry-run': read('supervisor'),
  'events:list': read('officer'),
  'events:review': read('officer'),
  'counts:totals': read('officer'),
  'events:void': write('supervisor', 'four-eyes'),
  'events:correct': write('supervisor', 'password'),
  'auth:status': read('public'),
  'auth:setup': write('public'),
  'auth:login': write('public'),
  'auth:resume': read('public'),
  'auth:logout': write('session'),
  'auth:lock': write('session'),
  'auth:unlock': write('session'),
  'auth:elevate': read('session'),
  'auth:change-password': write('viewer'),
  'auth:policy': read('viewer'),
  'auth:set-policy': write('admin', 'password'),
  'users:list': read('admin'),
  'users:create': write('admin', 'four-eyes'),
  'users:update': write('admin', 'four-eyes'),
  'users:reset-password': write('admin', 'four-eyes'),
  'audit:list': read('supervisor'),
  'audit:verify': read('supervisor'),
  'masks:get': read('viewer'),
  'masks:save': write('supervisor', 'password'),
  'masks:lift': write('supervisor', 'four-eyes'),
  'masks:restore': write('supervisor'),
  'retention:get': read('admin'),
  'retention:set': write('admin', 'password'),
  'retention:run': write('admin'),
  'recordings:ranges': read('officer'),
  'recordings:camera-get': read('officer'),
  'recordings:camera-set': write('admin'),
  'recordings:storage-get': read('officer'),
  'recordings:storage-set': write('admin', 'password'),
  'reports:build': read('supervisor'),
  'reports:export': write('supervisor', 'four-eyes'),
  'reports:cancel-export': write('supervisor'),
  'reports:book-add': write('officer'),
  'reports:book-list': read('officer'),
  'reports:shift-current': read('officer'),
  'reports:shift-sign-off': write('officer', 'password'),
  'reports:schedules': read('supervisor'),
  'reports:schedule-save': write('supervisor', 'four-eyes'),
  'reports:schedule-remove': write('supervisor'),
  'reports:folders': read('supervisor'),
  'reports:folders-set': write('admin', 'password'),
  'alarms:list': read('officer'),
  'alarms:get': read('officer'),
  'alarms:acknowledge': write('officer'),
  'alarms:hold': write('officer'),
  'alarms:resume': write('officer'),
  'alarms:close': write('officer'),
  'alarms:snapshot': read('officer'),
  'alarms:rule-stats': read('officer'),
  'alarms:arming': read('officer'),
  'alarms:arm': write('supervisor'),
  'alarms:disarm': write('supervisor'),
  'alarms:set-switch': write('supervisor'),
  'alarms:shelve': write('officer'),
  'alarms:unshelve': write('officer'),
  'alarms:shelves': read('officer'),
  'alarms:flood': read('viewer'),
  'alarms:settings-get': read('officer'),
  'alarms:settings-set': write('admin'),
  'site:settings-get': read('viewer'),
  'site:settings-set': write('admin'),
  // Reports and exports leave the app as files: the roles that may make them may take them.
  'downloads:prepare': read('supervisor'),
  'downloads:save': read('supervisor'),
  'downloads:open': read('supervisor'),
  'layouts:list': read('viewer'),
  'layouts:current': read('viewer'),
  'layouts:save': write('viewer'),
  'layouts:delete': write('viewer'),
  'layouts:set-current': write('viewer'),
  'export:list': read('admin'),
  'export:save': write('admin', 'password'),
  'export:remove': write('admin', 'password'),
  'export:test': write('admin'),
  'export:dead-letters': read('admin'),
  'export:retry-dead-letters': write('admin'),
  'export:replay': write('admin'),
  'integrations:tokens': read('admin'),
  'integrations:token-create': write('admin', 'password'),
  'integrations:token-revoke': write('admin'),
  'integrations:settings-get': read('admin'),
  'integrations:settings-set': write('admin', 'password'),
  'integrations:raise-alarm': write('officer'),
  'evidence:timeline': read('officer'),
  'evidence:play': write('officer'),
  'evidence:tracks': read('officer'),
  'evidence:export': write('supervisor', 'four-eyes'),
  'evidence:export-unmasked': write('supervisor', 'four-eyes'),
  'evidence:cancel': write('supervisor'),
  'evidence:verify': read('supervisor'),
  // Looks at the watchlist ('faces:list', 'faces:export', 'faces:match-get') are audited by the watchlist service itself.
  'faces:list': read('supervisor'),
  'faces:enrol': write('supervisor', 'four-eyes'),
  'faces:remove': write('supervisor', 'password'),
  'faces:export': { min: 'supervisor', changes: false, confirm: 'password' },
  'faces:erase': write('supervisor', 'four-eyes'),
  'faces:set-threshold': write('supervisor', 'password'),
  'faces:camera-get': read('admin'),
  'faces:camera-set': write('admin', 'password'),
  'faces:match-get': read('officer'),
  'faces:match-decide': write('officer'),
};

/** Channels whose answers the viewer's live view needs: they keep working behind the idle lock. */
export const isLiveViewChannel = (channel: InvokeChannel): boolean => {
  const p = PERMISSIONS[channel];
  return p.min === 'viewer' && !p.changes;
};

export const roleRank = (role: Role): number => ROLE_ORDER.indexOf(role);

/** Whether a role may call a channel (sessions and locks aside). */
export function roleAllows(role: Role, channel: InvokeChannel): boolean {
  const p = PERMISSIONS[channel];
  if (p.min === 'public' || p.min === 'session') return true;
  return roleRank(role) >= roleRank(p.min);
}

/**
 * Channels whose four-eyes rule is another channel's policy entry: a scheduled report writes exports unattended,
 * so saving one needs exactly what an export needs.
 */
export const FOUR_EYES_FOLLOWS: Partial<Record<InvokeChannel, InvokeChannel>> = {
  'reports:schedule-save': 'reports:export',
  'evidence:export-unmasked': 'masks:lift',
  // Setting a temporary password is a change of the user: a site that asks a second admin for those asks it here too.
  'users:reset-password': 'users:update',
};

/** Channels the site may put under the four-eyes rule (those following another channel's entry are not listed). */
export const fourEyesEligible = (): InvokeChannel[] => (Object.keys(PERMISSIONS) as InvokeChannel[]).filter((c) => PERMISSIONS[c].confirm === 'four-eyes' && !FOUR_EYES_FOLLOWS[c]);
