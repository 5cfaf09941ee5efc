import { z } from 'zod';
import { AlarmHistoryEntrySchema, AlarmOutcomeSchema, AlarmPrioritySchema, AlarmViewSchema, ArmedRuleSchema, AlarmActionSchema } from '../domain/alarms';
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
  /** The same rule and track within this many seconds updates the open alarm instead of opening another. */
  dedupWindowS: z.number().min(0).max(3600),
  /** Frozen picture: identical frames for this many seconds while frames arrive. */
  frozenAfterS: z.number().min(2).max(3600),
  /** Priority of camera health alarms. */
  healthPriority: AlarmPrioritySchema,
});
export type AlarmSettings = z.infer<typeof AlarmSettingsSchema>;

/** Site settings the operator workflow needs. */
export const SiteSettingsSchema = z.object({
  /** IANA time zone in which times are shown (default: the host machine's). */
  timeZone: z.string().min(1).max(64),
});

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
    z.object({ cameraId: CameraIdSchema, ruleId: RuleIdSchema, priority: AlarmPrioritySchema.default(3), schedule: z.array(ScheduleWindowSchema).max(32).optional() }),
    ArmingSchema,
    'Arms a rule of a camera as an alarm (or changes its priority/schedule). Refused for an unknown camera or rule.',
  ),
  'alarms:disarm': invokeSpec(z.object({ cameraId: CameraIdSchema, ruleId: RuleIdSchema }), ArmingSchema, 'Disarms a rule (open alarms stay).'),
  'alarms:set-switch': invokeSpec(
    z.object({ /** null = the whole site. */ cameraId: CameraIdSchema.nullable(), armed: z.boolean() }),
    ArmingSchema,
    'Arm/disarm switch for one camera or the whole site.',
  ),
  'alarms:settings-get': invokeSpec(z.object({}), AlarmSettingsSchema, 'Escalation, de-dup and health-detection settings.'),
  'alarms:settings-set': invokeSpec(AlarmSettingsSchema.partial(), AlarmSettingsSchema, 'Changes some alarm settings.'),
  'site:settings-get': invokeSpec(z.object({}), SiteSettingsSchema, 'Site settings: the time zone times are shown in.'),
  'site:settings-set': invokeSpec(SiteSettingsSchema.partial(), SiteSettingsSchema, 'Changes site settings; an unknown time zone is refused.'),
} as const;

export const alarmsPush = {
  'alarms:changed': pushSpec(
    z.object({ action: AlarmActionSchema, alarm: AlarmViewSchema, entry: AlarmHistoryEntrySchema }),
    'An alarm was opened, re-triggered, escalated, acknowledged, held, resumed, closed or recovered.',
  ),
  'alarms:arming': pushSpec(ArmingSchema, 'Arming or a switch changed.'),
} as const;
