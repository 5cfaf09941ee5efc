import type { InvokeChannel } from './contracts';

/**
 * THE table of human titles: one plain-language title per invoke channel, as an officer or admin reads it in the
 * confirmation dialog ("Confirm this action: Void a ledger event"), the security policy's four-eyes list and
 * anywhere else a channel would otherwise show its id. Every invoke channel has a row: channel-titles.test.ts
 * fails when one lacks it (the type is partial so that a branch adding a channel still compiles until then).
 */
export const CHANNEL_TITLES = {
  'app:info': 'Read the app version and host',
  'cameras:list': 'List the cameras',
  'cameras:add': 'Add a camera',
  'cameras:update': 'Change a camera',
  'cameras:remove': 'Remove a camera',
  'cameras:set-enabled': 'Switch a camera on or off',
  'health:get': 'Read the health of cameras and the system',
  'models:list': 'List the detection models',
  'models:set-default': 'Choose the default detection model',
  'models:fetch-url': 'Fetch a detection model from an address',
  'models:upload-begin': 'Start importing a detection model file',
  'models:upload-chunk': 'Send a piece of a detection model file',
  'models:upload-finish': 'Install an imported detection model file',
  'models:upload-cancel': 'Cancel importing a detection model file',
  'models:status': 'Read the detection status',
  'models:face-detector': 'Read which face detector the watchlist uses',
  'models:face-detector-remove': 'Remove the imported face detector',
  'rules:get': 'Read the lines and zones of a camera',
  'rules:save': 'Save the lines and zones of a camera',
  'rules:dry-run': 'Try rules on recorded tracks',
  'events:list': 'List events',
  'events:review': 'Review events',
  'events:void': 'Void a ledger event',
  'events:correct': 'Correct a ledger event',
  'counts:totals': 'Read the counts',
  'auth:status': 'Check whether anyone is signed in',
  'auth:setup': 'Create the first administrator',
  'auth:login': 'Sign in',
  'auth:resume': 'Resume a session',
  'auth:logout': 'Sign out',
  'auth:lock': 'Lock the screen',
  'auth:unlock': 'Unlock the screen',
  'auth:elevate': 'Confirm with a password',
  'auth:change-password': 'Change your password',
  'auth:policy': 'Read the security policy',
  'auth:set-policy': 'Change the security policy',
  'users:list': 'List the users',
  'users:create': 'Create a user',
  'users:update': 'Change a user',
  'users:reset-password': 'Set a temporary password for a user',
  'audit:list': 'Read the audit trail',
  'audit:verify': 'Verify the audit trail',
  'masks:get': 'Read the privacy masks',
  'masks:save': 'Save the privacy masks of a camera',
  'masks:lift': 'Lift a privacy mask for a while',
  'masks:restore': 'Restore a lifted privacy mask',
  'retention:get': 'Read how long data is kept',
  'retention:set': 'Change how long data is kept',
  'retention:run': 'Delete expired data now',
  'recordings:ranges': 'Read when a camera was recorded',
  'recordings:camera-get': 'Read how a camera records',
  'recordings:camera-set': 'Change how a camera records',
  'recordings:storage-get': 'Read the recordings storage',
  'recordings:storage-set': 'Change the recordings storage limits',
  'reports:build': 'Build a report',
  'reports:export': 'Export a report (PDF or CSV)',
  'reports:cancel-export': 'Cancel a report export',
  'reports:book-add': 'Write in the occurrence book',
  'reports:book-list': 'Read the occurrence book',
  'reports:shift-current': 'Read a shift of the occurrence book',
  'reports:shift-sign-off': 'Sign off the shift',
  'reports:schedules': 'List scheduled reports',
  'reports:schedule-save': 'Save a scheduled report',
  'reports:schedule-remove': 'Remove a scheduled report',
  'reports:folders': 'List the folders reports may be saved in',
  'reports:folders-set': 'Change the folders reports may be saved in',
  'integrations:tokens': 'List API tokens',
  'integrations:token-create': 'Create an API token for another system',
  'integrations:token-revoke': 'Revoke an API token',
  'integrations:settings-get': 'Read the HTTP API and MQTT alarm settings',
  'integrations:settings-set': 'Change the HTTP API and MQTT alarm settings',
  'integrations:raise-alarm': 'Raise an alarm from another system',
  'faces:list': 'Look at the face watchlist',
  'faces:enrol': 'Put a person on the face watchlist',
  'faces:remove': 'Take a person off the face watchlist',
  'faces:export': 'Export everything kept about a person on the watchlist',
  'faces:erase': 'Erase a person from the watchlist, with their match records',
  'faces:set-threshold': 'Change how alike a face must be to match',
  'faces:camera-get': 'See whether a camera checks faces',
  'faces:camera-set': 'Switch face checking on or off for a camera',
  'faces:match-get': 'Open a face match with both faces',
  'faces:match-decide': 'Confirm or reject a face match',
  'alarms:list': 'List alarms',
  'alarms:get': 'Open an alarm and its history',
  'alarms:acknowledge': 'Acknowledge an alarm',
  'alarms:hold': 'Put an alarm on hold',
  'alarms:resume': 'Take an alarm off hold',
  'alarms:close': 'Close an alarm',
  'alarms:snapshot': 'Show an alarm snapshot',
  'alarms:rule-stats': 'Read false alarms per rule',
  'alarms:arming': 'Read which rules are armed',
  'alarms:arm': 'Arm a rule as an alarm',
  'alarms:disarm': 'Disarm a rule',
  'alarms:set-switch': 'Arm or disarm a camera or the site',
  'alarms:shelve': 'Shelve a noisy rule for a while',
  'alarms:unshelve': 'Unshelve a rule',
  'alarms:shelves': 'List shelved rules',
  'alarms:flood': 'Read the alarm flood state',
  'alarms:settings-get': 'Read the alarm settings',
  'alarms:settings-set': 'Change the alarm settings',
  'site:settings-get': 'Read the site settings',
  'site:settings-set': 'Change the site settings',
  'downloads:prepare': 'Download a report or export',
  'downloads:save': 'Save a copy of a report or export',
  'downloads:open': 'Open a report or export',
  'layouts:list': 'List your saved layouts',
  'layouts:current': 'Read your current layout',
  'layouts:save': 'Save a layout',
  'layouts:delete': 'Delete a layout',
  'layouts:set-current': 'Switch layout',
  'export:list': 'List the export destinations',
  'export:save': 'Save an export destination',
  'export:remove': 'Remove an export destination',
  'export:test': 'Test an export destination',
  'export:dead-letters': 'List events an export destination refused',
  'export:retry-dead-letters': 'Send refused events again',
  'export:replay': 'Send past events again to a destination',
  'evidence:timeline': 'Read the recording timeline',
  'evidence:play': 'Play back a recording',
  'evidence:tracks': 'Read the stored boxes for playback',
  'evidence:export': 'Export evidence (video with privacy masks)',
  'evidence:export-unmasked': 'Export evidence without privacy masks',
  'evidence:cancel': 'Cancel an evidence export',
  'evidence:verify': 'Verify an evidence export',
} as const satisfies Partial<Record<InvokeChannel, string>>;

type AreaOf<C> = C extends `${infer A}:${string}` ? A : never;
/** An area of the contracts: the part of a channel's name before the colon (`cameras` of `cameras:add`). */
export type InvokeArea = AreaOf<InvokeChannel>;

/**
 * One plain-language title per area, for lists that group actions by area (the audit list's "What" filter), in
 * the order such lists show them. Like CHANNEL_TITLES, every area has a row: channel-titles.test.ts fails when one
 * lacks it (partial, so a branch adding an area still compiles until then).
 */
export const AREA_TITLES = {
  auth: 'Sign-in, lock and confirmations',
  users: 'Users and passwords',
  cameras: 'Cameras',
  rules: 'Lines and zones',
  masks: 'Privacy masks',
  alarms: 'Alarms',
  events: 'Events (review, void, correct)',
  counts: 'Counts',
  reports: 'Reports and the occurrence book',
  downloads: 'Downloads of reports and exports',
  evidence: 'Playback and evidence exports',
  recordings: 'Recordings',
  faces: 'Face watchlist',
  site: 'Site settings',
  layouts: 'Live view layouts',
  models: 'Detection models',
  health: 'Health',
  export: 'Export destinations',
  integrations: 'Integrations and API tokens',
  retention: 'Retention',
  audit: 'Audit trail',
  app: 'App',
} as const satisfies Partial<Record<InvokeArea, string>>;

/** The area of a channel (`cameras` of `cameras:add`). */
export const channelArea = (channel: InvokeChannel): InvokeArea => channel.slice(0, channel.indexOf(':')) as InvokeArea;

/**
 * Every area of the contracts, derived from the channels (so a new area is never missing), in AREA_TITLES' order
 * (an area without a title yet comes last, titled with its id).
 */
export function invokeAreas(channels: readonly InvokeChannel[]): { area: InvokeArea; title: string }[] {
  const titles = AREA_TITLES as Readonly<Partial<Record<string, string>>>;
  const order = Object.keys(AREA_TITLES);
  const rank = (a: string) => (order.includes(a) ? order.indexOf(a) : order.length);
  return [...new Set(channels.map(channelArea))].sort((a, b) => rank(a) - rank(b)).map((area) => ({ area, title: titles[area] ?? area }));
}

/** The human title of a channel; the channel id itself only for a channel missing from the table (a test forbids that). */
export function channelTitle(channel: string): string {
  return (CHANNEL_TITLES as Readonly<Record<string, string>>)[channel] ?? channel;
}
