import { z } from 'zod';
import { ScheduleWindowSchema } from './rules';

/**
 * Alarms: what an officer must see, acknowledge and close. Pure: shared by the engine, both hosts and the renderer.
 *
 * Sources: an armed rule's event (intrusion, loiter, overcrowd, a line crossing, a zone entry) or a camera health
 * condition (offline, frozen picture, black/covered lens, analysis fps below its setting).
 *
 * Lifecycle (one row per alarm; every arrow is one transaction that also appends a history row):
 *
 *            open                 acknowledge               hold
 *   (none) ──────▶ new ──────────────────────▶ acknowledged ─────▶ on-hold
 *                   │ ▲                          │   ▲               │
 *                   │ │ escalate (not acknow-    │   └──── resume ───┘
 *                   │ │ ledged within N s:       │
 *                   │ │ priority up, sound again)│ close(outcome, comment?)
 *                   └─┘                          ▼
 *                                              closed   (final: nothing changes a closed alarm)
 *   retrigger (same camera + rule + track within the de-dup window; health: same condition again) and recover
 *   (health condition cleared) update an open alarm (new, acknowledged or on-hold) without changing its status.
 *   close is allowed from acknowledged and from on-hold (a parked alarm closes in one step), never from new.
 *
 * Priority 1 is the most urgent, 5 the least; escalation lowers the number (never below 1).
 * Transitions are implemented by nextAlarmStatus() below; the engine's AlarmStore is the only writer.
 */
export const AlarmStatusSchema = z.enum(['new', 'acknowledged', 'on-hold', 'closed']);
export type AlarmStatus = z.infer<typeof AlarmStatusSchema>;

export const AlarmOutcomeSchema = z.enum(['true-alarm', 'false-alarm', 'test'], {
  error: 'Choose an outcome: true alarm, false alarm or test.',
});
export type AlarmOutcome = z.infer<typeof AlarmOutcomeSchema>;

export const HealthConditionSchema = z.enum(['offline', 'frozen', 'black', 'low-fps']);
export type HealthCondition = z.infer<typeof HealthConditionSchema>;

export const AlarmActionSchema = z.enum(['open', 'retrigger', 'escalate', 'acknowledge', 'hold', 'resume', 'close', 'recover']);
export type AlarmAction = z.infer<typeof AlarmActionSchema>;

export const AlarmPrioritySchema = z.number().int().min(1, 'Priority is 1 (most urgent) to 5.').max(5, 'Priority is 1 (most urgent) to 5.');

const common = {
  /** ULID, sorts by opening time. */
  id: z.string(),
  cameraId: z.string(),
  /** Rule alarms: the rule id; health alarms: null. */
  ruleId: z.string().nullable(),
  /** Health alarms: the condition; rule alarms: null. */
  condition: HealthConditionSchema.nullable(),
  /** Track that triggered a rule alarm (de-dup key with camera + rule). */
  trackId: z.number().int().nullable(),
  /** Ledger event that opened a rule alarm. */
  eventId: z.string().nullable(),
  /** Event type (zone.intrusion, line.cross, …) or `health.<condition>`. */
  type: z.string(),
  /** Current priority 1..5 (1 most urgent). */
  priority: z.number().int(),
  /** Priority it was opened with. */
  basePriority: z.number().int(),
  /** Snapshot reference (ledger snapshot path), null when none. */
  snapshot: z.string().nullable(),
  /** Times it fired (1 + re-triggers within the de-dup window). */
  triggerCount: z.number().int(),
  escalations: z.number().int(),
  openedMs: z.number(),
  openedAt: z.string(),
  lastTriggerMs: z.number(),
  /** Health alarms: when the condition cleared (null while it lasts). */
  recoveredMs: z.number().nullable(),
  acknowledgedMs: z.number().nullable(),
  acknowledgedBy: z.string().nullable(),
  updatedMs: z.number(),
};

/** One alarm as the renderer sees it: a union on `status` (closed ones carry outcome and closer). */
export const AlarmViewSchema = z.discriminatedUnion('status', [
  z.object({ ...common, status: z.literal('new') }),
  z.object({ ...common, status: z.literal('acknowledged') }),
  z.object({ ...common, status: z.literal('on-hold') }),
  z.object({ ...common, status: z.literal('closed'), outcome: AlarmOutcomeSchema, comment: z.string().nullable(), closedMs: z.number(), closedBy: z.string() }),
]);
export type AlarmView = z.infer<typeof AlarmViewSchema>;

/** One immutable step of an alarm's history. */
export const AlarmHistoryEntrySchema = z.object({
  alarmId: z.string(),
  /** 1, 2, … per alarm. */
  seq: z.number().int(),
  action: AlarmActionSchema,
  fromStatus: AlarmStatusSchema.nullable(),
  toStatus: AlarmStatusSchema,
  priority: z.number().int(),
  /** Who did it: a user name, or "system" for automatic steps. */
  by: z.string(),
  atMs: z.number(),
  at: z.string(),
  outcome: AlarmOutcomeSchema.nullable(),
  comment: z.string().nullable(),
});
export type AlarmHistoryEntry = z.infer<typeof AlarmHistoryEntrySchema>;

/** A rule armed as an alarm on one camera. */
export const ArmedRuleSchema = z.object({
  cameraId: z.string(),
  ruleId: z.string(),
  /** 1 (most urgent) .. 5. */
  priority: AlarmPrioritySchema,
  /** Weekly windows (site time) during which it raises alarms; always when absent or empty. */
  schedule: z.array(ScheduleWindowSchema).max(32).optional(),
});
export type ArmedRule = z.infer<typeof ArmedRuleSchema>;

const OPEN: readonly AlarmStatus[] = ['new', 'acknowledged', 'on-hold'];
export const isOpenStatus = (s: AlarmStatus): boolean => OPEN.includes(s);

export type TransitionResult = { ok: true; status: AlarmStatus } | { ok: false; message: string };

/** The transition table of the diagram above. `from` null = the alarm does not exist yet. */
export function nextAlarmStatus(from: AlarmStatus | null, action: AlarmAction): TransitionResult {
  if (from === null) return action === 'open' ? { ok: true, status: 'new' } : { ok: false, message: 'This alarm does not exist.' };
  if (action === 'open') return { ok: false, message: 'This alarm is already open.' };
  if (from === 'closed') return { ok: false, message: 'This alarm is already closed; nothing can change it any more.' };
  switch (action) {
    case 'retrigger':
    case 'recover':
      return { ok: true, status: from };
    case 'escalate':
      return from === 'new' ? { ok: true, status: 'new' } : { ok: false, message: 'Only an alarm nobody has acknowledged escalates.' };
    case 'acknowledge':
      return from === 'new' ? { ok: true, status: 'acknowledged' } : { ok: false, message: from === 'acknowledged' ? 'This alarm is already acknowledged.' : 'This alarm is on hold: resume it instead.' };
    case 'hold':
      return from === 'acknowledged' ? { ok: true, status: 'on-hold' } : { ok: false, message: from === 'new' ? 'Acknowledge the alarm before putting it on hold.' : 'This alarm is already on hold.' };
    case 'resume':
      return from === 'on-hold' ? { ok: true, status: 'acknowledged' } : { ok: false, message: 'Only an alarm on hold can be resumed.' };
    case 'close':
      return from === 'new' ? { ok: false, message: 'Acknowledge the alarm before closing it.' } : { ok: true, status: 'closed' };
  }
}

/** Priority after one escalation step (1 is the most urgent). */
export const escalatedPriority = (p: number): number => Math.max(1, p - 1);
