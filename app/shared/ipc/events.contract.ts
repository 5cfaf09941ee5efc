import { z } from 'zod';
import { AlarmActionSchema, AlarmConditionSchema, AlarmOutcomeSchema, AlarmStatusSchema, SystemAlarmDetailSchema } from '../domain/alarms';
import { CameraIdSchema } from '../domain/camera';
import { RuleSchema } from '../domain/rules';
import { invokeSpec, pushSpec } from './channel';

/** Event ledger, counts and rule dry-runs. Times are epoch milliseconds unless named `*At` (ISO-8601). */

export const LedgerEventTypeSchema = z.enum(['line.cross', 'zone.enter', 'zone.exit', 'zone.loiter', 'zone.intrusion', 'zone.overcrowd']);
const EventIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Invalid event id.');
const RuleIdSchema = z.string().min(1).max(64);
const ReasonSchema = z.string().trim().min(1, 'Give a reason.').max(500);

/** One ledger event with corrections applied. */
export const LedgerRowSchema = z.object({
  /** ULID, sorts by frame time. */
  id: z.string(),
  cameraId: z.string(),
  ruleId: z.string(),
  /** Tracker id of the object (per camera, per worker session). */
  trackId: z.number().int(),
  type: LedgerEventTypeSchema,
  /** Effective direction (line crossings only), after corrections. */
  direction: z.enum(['in', 'out']).nullable(),
  /** Effective object class, after corrections. */
  cls: z.string(),
  /** Effective count this event stands for (1 unless corrected). */
  count: z.number().int(),
  /** Detector confidence 0..1. */
  confidence: z.number(),
  /** Frame time, ISO-8601 UTC. */
  frameAt: z.string(),
  /** Frame time, epoch ms. */
  frameMs: z.number(),
  /** Detector that produced the event. */
  modelId: z.string().nullable(),
  /** Snapshot path relative to the snapshots folder; the file may have been pruned. */
  snapshot: z.string().nullable(),
  /** 'live' or 'import:<footage key>'. */
  source: z.string(),
  /** Voided by an officer: kept, but excluded from totals. */
  voided: z.boolean(),
  /** At least one correction applies. */
  corrected: z.boolean(),
  /** Direction as recorded, before corrections. */
  originalDirection: z.enum(['in', 'out']).nullable(),
  /** Class as recorded, before corrections. */
  originalCls: z.string(),
  /** Who voided it (user name; null when voided without accounts, or not voided). */
  voidedBy: z.string().nullable(),
  /** Why it was voided; null unless voided. */
  voidReason: z.string().nullable(),
  /** When it was voided, ISO-8601 UTC; null unless voided. */
  voidedAt: z.string().nullable(),
  /** Who made the latest correction (null when made without accounts, or not corrected). */
  correctedBy: z.string().nullable(),
  /** Why the latest correction was made; null unless corrected. */
  correctionReason: z.string().nullable(),
  /** When the latest correction was made, ISO-8601 UTC; null unless corrected. */
  correctedAt: z.string().nullable(),
});
export type LedgerRowView = z.infer<typeof LedgerRowSchema>;

/** Totals of one rule over a time range. */
export const RuleTotalsSchema = z.object({
  cameraId: z.string(),
  ruleId: z.string(),
  /** Line crossings in the "in" direction. */
  in: z.number(),
  /** Line crossings in the "out" direction. */
  out: z.number(),
  /** Zone entries. */
  enter: z.number(),
  /** Zone exits. */
  exit: z.number(),
  /** Zone occupancy at `to` (enter − exit since the last reset). */
  occupancy: z.number(),
  /** Loiter, intrusion and overcrowd alarms. */
  alarms: z.number(),
});

/** An officer-readable warning about a rule (see quality-guards.ts). */
export const QualityWarningSchema = z.object({
  /** Stable machine code, e.g. 'line-near-edge'. */
  code: z.string(),
  severity: z.enum(['info', 'warning']),
  /** Rule concerned, absent for camera-wide warnings. */
  ruleId: z.string().optional(),
  message: z.string(),
});

/** Kinds the events review lists besides ledger event types: rule alarm, camera-health and system alarm transitions. */
export const ReviewTypeSchema = z.enum(['line.cross', 'zone.enter', 'zone.exit', 'zone.loiter', 'zone.intrusion', 'zone.overcrowd', 'alarm', 'health', 'system']);

/** One step of an alarm's immutable history (alarm_history), with the alarm's camera (or subject), rule and type. */
export const AlarmStepRowSchema = z.object({
  kind: z.literal('alarm'),
  /** 'alarm' (rule alarm), 'health' (camera health alarm) or 'system' (site-level: export backlog, outbox near its cap). */
  type: z.enum(['alarm', 'health', 'system']),
  /** Stable row key: `h<history row id>`. */
  key: z.string(),
  alarmId: z.string(),
  /** Null for system alarms (no camera). */
  cameraId: z.string().nullable(),
  ruleId: z.string().nullable(),
  condition: AlarmConditionSchema.nullable(),
  /** System alarms: `sink:<id>` or `outbox`; null otherwise. */
  subject: z.string().nullable(),
  /** System alarms: the numbers it was (last) raised with, e.g. the sink's name and backlog; null otherwise. */
  detail: SystemAlarmDetailSchema.nullable(),
  /** The alarm's event type (zone.intrusion, …), `health.<condition>` or `system.<condition>`. */
  alarmType: z.string(),
  action: AlarmActionSchema,
  toStatus: AlarmStatusSchema,
  priority: z.number().int(),
  by: z.string(),
  outcome: AlarmOutcomeSchema.nullable(),
  comment: z.string().nullable(),
  snapshot: z.string().nullable(),
  /** When the step happened, epoch ms. */
  atMs: z.number(),
});
export type AlarmStepRow = z.infer<typeof AlarmStepRowSchema>;
export const ReviewRowSchema = z.discriminatedUnion('kind', [LedgerRowSchema.extend({ kind: z.literal('ledger') }), AlarmStepRowSchema]);
export type ReviewRow = z.infer<typeof ReviewRowSchema>;

export const eventsInvoke = {
  'events:list': invokeSpec(
    z.object({
      /** Only this camera. */
      cameraId: CameraIdSchema.optional(),
      /** Only this rule. */
      ruleId: RuleIdSchema.optional(),
      /** Only these event types. */
      types: z.array(LedgerEventTypeSchema).max(6).optional(),
      /** Frame time from (inclusive), epoch ms. */
      from: z.number().optional(),
      /** Frame time to (exclusive), epoch ms. */
      to: z.number().optional(),
      /** Page size, 1..1000 (default 100). */
      limit: z.number().int().min(1).max(1000).default(100),
      /** Newest-first paging: return events with an id below this one (the last id of the previous page). */
      cursor: EventIdSchema.optional(),
      /** Include voided events (marked); default true. */
      includeVoided: z.boolean().default(true),
    }),
    z.object({ rows: z.array(LedgerRowSchema), /** Pass as `cursor` for the next page; null at the end. */ nextCursor: z.string().nullable() }),
    'Ledger events, newest first, with corrections applied and void marks.',
  ),
  'events:review': invokeSpec(
    z.object({
      cameraId: CameraIdSchema.optional(),
      ruleId: RuleIdSchema.optional(),
      /** Only these kinds (ledger event types, 'alarm', 'health', 'system'); default all. A camera filter leaves system alarms out (they have no camera). */
      types: z.array(ReviewTypeSchema).max(9).optional(),
      /** Time from (inclusive), epoch ms. */
      from: z.number().optional(),
      /** Time to (exclusive), epoch ms. */
      to: z.number().optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      /** Opaque cursor of the previous page (one keyset position per source). */
      cursor: z.string().max(200).optional(),
    }),
    z.object({ rows: z.array(ReviewRowSchema), nextCursor: z.string().nullable() }),
    'Events review: ledger events and alarm/health-alarm history steps merged newest first, keyset-paged per source.',
  ),
  'events:void': invokeSpec(
    z.object({ /** Event to void. */ eventId: EventIdSchema, /** Why (required, kept in the audit trail). */ reason: ReasonSchema }),
    LedgerRowSchema,
    'Voids an event (append-only: the event stays, marked). Refused without a reason, for an unknown id, or twice.',
  ),
  'events:correct': invokeSpec(
    z
      .object({
        /** Event to correct. */
        eventId: EventIdSchema,
        /** Why (required). */
        reason: ReasonSchema,
        /** Corrected direction (line crossings). */
        direction: z.enum(['in', 'out']).optional(),
        /** Corrected object class. */
        cls: z.string().min(1).max(64).optional(),
        /** Corrected number of objects this event stands for. */
        count: z.number().int().min(0).max(1000).optional(),
      })
      .refine((v) => v.direction !== undefined || v.cls !== undefined || v.count !== undefined, { message: 'Change the direction, the class or the count.' }),
    LedgerRowSchema,
    'Appends a correction to an event; the latest correction of each field wins.',
  ),
  'counts:totals': invokeSpec(
    z.object({
      /** Only this camera. */
      cameraId: CameraIdSchema.optional(),
      /** Only this rule. */
      ruleId: RuleIdSchema.optional(),
      /** From (inclusive), epoch ms; default: everything. */
      from: z.number().optional(),
      /** To (exclusive), epoch ms; default now. Occupancy is given at this time. */
      to: z.number().optional(),
    }),
    z.array(RuleTotalsSchema),
    'Counts per rule derived from the ledger (voids excluded, corrections applied); survive restarts.',
  ),
  'rules:dry-run': invokeSpec(
    z.object({
      /** Camera whose stored tracks are replayed. */
      cameraId: CameraIdSchema,
      /** The new or changed rule. */
      rule: RuleSchema,
      /** Replay window in hours back from now (default 24). */
      hours: z.number().positive().max(24 * 31).default(24),
    }),
    z.object({
      in: z.number(),
      out: z.number(),
      enter: z.number(),
      exit: z.number(),
      /** Loiter + intrusion + overcrowd events. */
      alarms: z.number(),
      /** Stored tracks replayed. */
      tracks: z.number(),
      /** Start of the replayed window, epoch ms. */
      since: z.number(),
      /** Quality warnings for this rule on this camera. */
      warnings: z.array(QualityWarningSchema),
    }),
    'Replays stored tracks through the live rules engine: "this rule would have counted 112 in / 97 out".',
  ),
} as const;

export const eventsPush = {
  'events:new': pushSpec(LedgerRowSchema, 'A new event was written to the ledger.'),
} as const;
