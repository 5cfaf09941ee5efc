import { z } from 'zod';
import {
  AlarmHistoryEntrySchema,
  AlarmOutcomeSchema,
  AlarmPrioritySchema,
  AlarmViewSchema,
  ArmedRuleSchema,
  AlarmActionSchema,
  FloodStateSchema,
  SHELVE_MAX_MINUTES,
  SHELVE_MIN_MINUTES,
  ShelfSchema,
} from '../domain/alarms';
import { CameraIdSchema } from '../domain/camera';
import { ScheduleWindowSchema } from '../domain/rules';
import { invokeSpec, pushSpec } from './channel';

/** Alarm queue, arming, alarm settings and the site time zone. Times are epoch ms unless named `*At` (ISO-8601). */

const AlarmIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Invalid alarm id.');
const RuleIdSchema = z.string().min(1).max(64);
const CommentSchema = z.string().trim().max(1000, 'The comment is too long (1000 characters at most).');

/** Per-rule false-alarm figures (from closed alarms' outcomes). */
export const RuleAlarmStatsSchema = z.object({
  cameraId: z.string(),
  ruleId: z.string(),
  /** Closed alarms of this rule. */
  closed: z.number().int(),
  trueAlarms: z.number().int(),
  falseAlarms: z.number().int(),
  tests: z.number().int(),
  /** falseAlarms / (closed − tests), 0..1; null when nothing but tests was closed. */
  falseAlarmRate: z.number().nullable(),
});

/** Arming of the whole site: armed rules and the switches. */
export const ArmingSchema = z.object({
  /** Site switch: off = no rule raises an alarm anywhere (health and system alarms still do). */
  siteArmed: z.boolean(),
  /** Cameras switched off (their rules raise nothing). */
  disarmedCameras: z.array(z.string()),
  /** Rules armed as alarms. */
  rules: z.array(ArmedRuleSchema),
});
export type Arming = z.infer<typeof ArmingSchema>;

/** Alarm behaviour settings (site-wide). */
export const AlarmSettingsSchema = z.object({
  /** An alarm not acknowledged within this many seconds escalates (priority up, sound again); repeats. */
  escalateAfterS: z.number().min(1).max(3600),
  /**
   * Kept for saved settings; no longer used: every repeat of a rule on a camera folds into its open alarm, however
   * long it has been open (see the README's "Alarm flood control").
   */
  dedupWindowS: z.number().min(0).max(3600),
  /** Flood: more than this many alarms opened within floodWindowS puts the site in the flood state (ISA-18.2: ~10 per 10 min per operator). */
  floodThreshold: z.number().int().min(2).max(1000),
  /** Flood window, seconds. */
  floodWindowS: z.number().int().min(10).max(3600),
  /** Frozen picture: identical frames for this many seconds while frames arrive. */
  frozenAfterS: z.number().min(2).max(3600),
  /** Priority of camera health alarms. */
  healthPriority: AlarmPrioritySchema,
});
export type AlarmSettings = z.infer<typeof AlarmSettingsSchema>;

/** A local time of day, HH:mm (24-hour). */
const TimeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'a time of day is HH:mm, e.g. 07:00' });

/**
 * Site settings (one store, read by the alarm screens and by every report): the site's name, its time zone and
 * the times its shifts start. Reports print the name, cut days and shifts in the zone, and a shift report runs
 * from one shift start to the next.
 */
export const SiteSettingsSchema = z.object({
  /** The site's name, printed on reports (default "Watchroom site"). */
  siteName: z.string().trim().min(1).max(100),
  /** IANA time zone in which times are shown and days and shifts are cut (default: the host machine's). */
  timeZone: z.string().min(1).max(64),
  /** Local times the shifts start every day, ascending, 1 to 6 of them (default 07:00 and 19:00). */
  shiftStarts: z
    .array(TimeOfDaySchema)
    .min(1, { message: 'give at least one shift start' })
    .max(6, { message: 'at most 6 shifts a day' })
    .refine((a) => new Set(a).size === a.length, { message: 'two shifts start at the same time' }),
});
export type SiteSettings = z.infer<typeof SiteSettingsSchema>;

export const alarmsInvoke = {
  'alarms:list': invokeSpec(
    z.object({
      /** open (default): new, acknowledged and on hold, by priority; closed; all. */
      status: z.enum(['open', 'closed', 'all']).default('open'),
      cameraId: CameraIdSchema.optional(),
      /** Paging (closed/all lists): ids below this one. */
      cursor: AlarmIdSchema.optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    z.array(AlarmViewSchema),
    'Alarms of the queue (open ones by priority, then newest) or closed ones, newest first.',
  ),
  'alarms:get': invokeSpec(z.object({ id: AlarmIdSchema }), z.object({ alarm: AlarmViewSchema, history: z.array(AlarmHistoryEntrySchema) }), 'One alarm with its full history (who did what when).'),
  'alarms:acknowledge': invokeSpec(z.object({ id: AlarmIdSchema }), AlarmViewSchema, 'Acknowledges a new alarm (stops its escalation). Refused for an alarm already acknowledged or closed.'),
  'alarms:hold': invokeSpec(z.object({ id: AlarmIdSchema, /** Why it is parked (optional). */ comment: CommentSchema.optional() }), AlarmViewSchema, 'Puts an acknowledged alarm on hold.'),
  'alarms:resume': invokeSpec(z.object({ id: AlarmIdSchema }), AlarmViewSchema, 'Takes an alarm off hold (back to acknowledged).'),
  'alarms:close': invokeSpec(
    z.object({ id: AlarmIdSchema, /** Required: true alarm, false alarm or test. */ outcome: AlarmOutcomeSchema, /** Optional comment. */ comment: CommentSchema.optional() }),
    AlarmViewSchema,
    'Closes an acknowledged (or held) alarm with an outcome and an optional comment.',
  ),
  'alarms:snapshot': invokeSpec(
    z.object({ /** Snapshot reference of an alarm or ledger event (`YYYY-MM-DD/<ULID>.jpg`). */ ref: z.string().min(1).max(64) }),
    z.object({ /** JPEG as base64; null when the file is gone (pruned) or not written yet. */ jpegBase64: z.string().nullable() }),
    'The snapshot picture of an alarm or event.',
  ),
  'alarms:rule-stats': invokeSpec(z.object({ cameraId: CameraIdSchema.optional() }), z.array(RuleAlarmStatsSchema), 'False-alarm rate per rule, from closed alarms.'),
  'alarms:arming': invokeSpec(z.object({}), ArmingSchema, 'Which rules are armed as alarms, and the site and camera switches.'),
  'alarms:arm': invokeSpec(
    z.object({
      cameraId: CameraIdSchema,
      ruleId: RuleIdSchema,
      priority: AlarmPrioritySchema.default(3),
      schedule: z.array(ScheduleWindowSchema).max(32).optional(),
      /** Rate limit: alarms of this rule opened per hour at most (absent: none). */
      maxPerHour: ArmedRuleSchema.shape.maxPerHour,
    }),
    ArmingSchema,
    'Arms a rule of a camera as an alarm (or changes its priority/schedule). Refused for an unknown camera or rule.',
  ),
  'alarms:disarm': invokeSpec(z.object({ cameraId: CameraIdSchema, ruleId: RuleIdSchema }), ArmingSchema, 'Disarms a rule (open alarms stay).'),
  'alarms:set-switch': invokeSpec(
    z.object({ /** null = the whole site. */ cameraId: CameraIdSchema.nullable(), armed: z.boolean() }),
    ArmingSchema,
    'Arm/disarm switch for one camera or the whole site.',
  ),
  'alarms:shelve': invokeSpec(
    z.object({
      cameraId: CameraIdSchema,
      ruleId: RuleIdSchema,
      /** How long, 15 min to 8 h; the timer restores the rule then. */
      minutes: z
        .number()
        .int()
        .min(SHELVE_MIN_MINUTES, `Shelve for ${SHELVE_MIN_MINUTES} minutes at least.`)
        .max(SHELVE_MAX_MINUTES, `Shelve for ${SHELVE_MAX_MINUTES / 60} hours at most.`),
      /** Why (required, kept with the shelf and in the audit trail). */
      reason: z.string().trim().min(3, 'Say why the rule is shelved (3 characters at least).').max(500, 'The reason is too long (500 characters at most).'),
    }),
    ShelfSchema,
    'Shelves an armed rule of a camera: it raises no alarm until the time runs out or it is unshelved (its events are still recorded).',
  ),
  'alarms:unshelve': invokeSpec(z.object({ cameraId: CameraIdSchema, ruleId: RuleIdSchema }), ShelfSchema, 'Ends a shelf before its time (the rule raises alarms again).'),
  'alarms:shelves': invokeSpec(
    z.object({ /** Also the ones that ended within this many hours (default 0: only active). */ endedWithinH: z.number().min(0).max(168).default(0) }),
    z.array(ShelfSchema),
    'Shelved rules (active first, then recently ended ones, newest first).',
  ),
  'alarms:flood': invokeSpec(z.object({}), FloodStateSchema, 'The site flood state: alarms opened within the flood window against the threshold.'),
  'alarms:settings-get': invokeSpec(z.object({}), AlarmSettingsSchema, 'Escalation, de-dup and health-detection settings.'),
  'alarms:settings-set': invokeSpec(AlarmSettingsSchema.partial(), AlarmSettingsSchema, 'Changes some alarm settings.'),
  'site:settings-get': invokeSpec(z.object({}), SiteSettingsSchema, 'Site settings: the site name, the time zone times are shown in and reports are cut in, the shift starts.'),
  'site:settings-set': invokeSpec(SiteSettingsSchema.partial(), SiteSettingsSchema, 'Changes site settings (only the fields given); an unknown time zone is refused.'),
} as const;

export const alarmsPush = {
  'alarms:changed': pushSpec(
    z.object({ action: AlarmActionSchema, alarm: AlarmViewSchema, entry: AlarmHistoryEntrySchema }),
    'An alarm was opened, re-triggered, escalated, acknowledged, held, resumed, closed or recovered.',
  ),
  'alarms:arming': pushSpec(ArmingSchema, 'Arming or a switch changed.'),
  'alarms:shelves': pushSpec(z.array(ShelfSchema), 'The active shelves changed (shelved, unshelved, or restored by the timer).'),
  'alarms:flood': pushSpec(FloodStateSchema, 'The site entered or left the flood state (or its figures changed during a flood).'),
} as const;
