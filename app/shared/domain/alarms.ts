import { z } from 'zod';
import { FaceCategorySchema, type FaceCategory } from './faces';
import { ScheduleWindowSchema } from './rules';

/**
 * Alarms: what an officer must see, acknowledge and close. Pure: shared by the engine, both hosts and the renderer.
 *
 * Sources (`kind`, a discriminated union below):
 *   - `rule`: an armed rule's event (intrusion, loiter, overcrowd, a line crossing, a zone entry) on a camera;
 *   - `health`: a camera health condition (offline, frozen picture, black/covered lens, analysis fps below its setting);
 *   - `system`: a site-level condition with no camera, identified by its `subject`: an export sink's backlog past
 *     its threshold (`export-backlog`, subject `sink:<sink id>`) or the export outbox near its cap
 *     (`outbox-near-cap`, subject `outbox`, raised before anything is dropped). `detail` holds the numbers it was
 *     raised with (sink name, backlog, oldest age, thresholds; outbox rows and cap).
 * Every kind walks the same lifecycle, with the same history and the same fold rule: one open alarm per camera +
 * rule (rule: every repeat of the rule on that camera, whatever the track, folds into the open alarm as "fired
 * again ×N" with the latest time and snapshot), camera + condition (health) or subject + condition (system).
 * Flood control (shelving, per-rule rate limits, the site flood state) is described in the README's
 * "Alarm flood control" section.
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
 *   retrigger (same camera + rule + track within the de-dup window; health and system: same condition again) and
 *   recover (health or system condition cleared) update an open alarm (new, acknowledged or on-hold) without
 *   changing its status.
 *   close is allowed from acknowledged and from on-hold (a parked alarm closes in one step), never from new.
 *
 * Priority 1 is the most urgent, 5 the least; escalation lowers the number by one step at most from the priority
 * it opened with (never below 1), and is held during a site alarm flood (README "Alarm flood control").
 * Transitions are implemented by nextAlarmStatus() below; the engine's AlarmStore is the only writer.
 */
export const AlarmStatusSchema = z.enum(['new', 'acknowledged', 'on-hold', 'closed']);
export type AlarmStatus = z.infer<typeof AlarmStatusSchema>;

export const AlarmOutcomeSchema = z.enum(['true-alarm', 'false-alarm', 'test'], {
  error: 'Choose an outcome: true alarm, false alarm or test.',
});
export type AlarmOutcome = z.infer<typeof AlarmOutcomeSchema>;

/** Camera health conditions (the picture or the connection of one camera). */
export const HealthConditionSchema = z.enum(['offline', 'frozen', 'black', 'low-fps']);
export type HealthCondition = z.infer<typeof HealthConditionSchema>;

/** Site-level system conditions (no camera): an export sink's backlog, the export outbox near its cap, an alarm raised by another system. */
export const SystemConditionSchema = z.enum(['export-backlog', 'outbox-near-cap', 'external-alarm', 'recording-stopped', 'analysis-starved', 'face-match']);
export type SystemCondition = z.infer<typeof SystemConditionSchema>;

/** Any condition a health or system alarm stands for. */
export const AlarmConditionSchema = z.enum([...HealthConditionSchema.options, ...SystemConditionSchema.options]);

/**
 * The numbers a system alarm was raised with (updated when it fires again). The live figures are on the Health
 * and Export pages; these say what the officer was alarmed about.
 */
export const SystemAlarmDetailSchema = z.discriminatedUnion('condition', [
  z.object({
    condition: z.literal('export-backlog'),
    sinkId: z.string(),
    /** The sink's name when the alarm was raised. */
    sinkName: z.string(),
    /** Events waiting for this sink. */
    backlog: z.number().int(),
    /** Age of the oldest of them, ms (null when none). */
    oldestAgeMs: z.number().nullable(),
    /** The sink's thresholds: backlog age (ms) and backlog size (events; null when off). */
    ageThresholdMs: z.number(),
    countThreshold: z.number().int().nullable(),
  }),
  z.object({
    condition: z.literal('outbox-near-cap'),
    /** Rows held in the export outbox, those some sink has not passed yet, and the cap; the alarm fires when the
     * undelivered rows reach `warnRatio` of the cap (delivered rows kept for replay go first at the cap). */
    rows: z.number().int(),
    undelivered: z.number().int(),
    cap: z.number().int(),
    warnRatio: z.number(),
    /** Rows dropped at the cap so far (the alarm opens before the first drop; it fires again when drops start). */
    droppedTotal: z.number().int(),
  }),
  z.object({
    /** Raised by another system (access control, fire or intruder panel) through the HTTP API or MQTT. */
    condition: z.literal('external-alarm'),
    /** The sending system, and its own id of the event (together the de-dup key: one alarm per pair, ever). */
    source: z.string(),
    eventId: z.string(),
    /** What the sender says happened. */
    text: z.string(),
    /** A camera the sender asked to show with it, or null. */
    cameraId: z.string().nullable(),
  }),
  z.object({
    /** Recording stopped because the recordings quota or the disk's free-space floor leaves no room (live view and analysis go on). */
    condition: z.literal('recording-stopped'),
    /** Bytes the recordings take, the quota (null: none) and free bytes on the disk (null: unknown) when raised. */
    bytes: z.number(),
    quotaBytes: z.number().nullable(),
    freeBytes: z.number().nullable(),
    /** The free-space floor, bytes. */
    minFreeBytes: z.number(),
  }),
  z.object({
    /**
     * The detector cannot keep up even with every camera at its lowest analysis rate: these cameras with rules
     * may miss people (graceful degradation, engine/motion/analysis-rate-controller.ts).
     */
    condition: z.literal('analysis-starved'),
    cameras: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
  z.object({
    /**
     * A face on a camera with face matching on matched a person on the watchlist (issue 23). Both faces are
     * fetched with `faces:match-get` (audited); the officer's confirm/reject goes through `faces:match-decide`.
     */
    condition: z.literal('face-match'),
    /** The latest match (a later match of the same person on the same camera folds into the open alarm). */
    matchId: z.string(),
    /** The watchlist entry and the camera: with the condition, the de-dup key (one open alarm per person and camera). */
    entryId: z.string(),
    cameraId: z.string(),
    /** The listed person's name and category when matched. */
    name: z.string(),
    category: FaceCategorySchema,
    /** Cosine similarity of the face seen to the person's enrolled photos (0..1). */
    similarity: z.number(),
    /** The person track the face was found in. */
    track: z.number().int().nullable(),
  }),
]);
export type SystemAlarmDetail = z.infer<typeof SystemAlarmDetailSchema>;

/** Subject of a system alarm (its de-dup key with the condition): `sink:<id>`, `outbox`, `external:<source>:<event id>` or `face:<camera id>:<watchlist entry id>`. */
export function systemAlarmSubject(d: SystemAlarmDetail): string {
  if (d.condition === 'external-alarm') return `external:${d.source}:${d.eventId}`;
  if (d.condition === 'recording-stopped') return 'recordings';
  if (d.condition === 'analysis-starved') return 'analysis';
  if (d.condition === 'face-match') return `face:${d.cameraId}:${d.entryId}`;
  return d.condition === 'export-backlog' ? `sink:${d.sinkId}` : 'outbox';
}

/**
 * Default priority of system alarms: a backlog means the central system is behind (nothing is lost yet), P3;
 * an outbox near its cap means events will be dropped from it next, P1.
 */
export const SYSTEM_ALARM_PRIORITY: Readonly<Record<SystemCondition, number>> = { 'export-backlog': 3, 'outbox-near-cap': 1, 'external-alarm': 2, 'recording-stopped': 1, 'analysis-starved': 2, 'face-match': 3 };

/** Priority of a watchlist match by the person's category: a banned visitor or a missing person is urgent (P1). */
export const FACE_MATCH_PRIORITY: Readonly<Record<FaceCategory, number>> = { banned: 1, 'missing-person': 1, vip: 3, other: 3 };

export const AlarmActionSchema = z.enum(['open', 'retrigger', 'escalate', 'acknowledge', 'hold', 'resume', 'close', 'recover']);
export type AlarmAction = z.infer<typeof AlarmActionSchema>;

export const AlarmPrioritySchema = z.number().int().min(1, 'Priority is 1 (most urgent) to 5.').max(5, 'Priority is 1 (most urgent) to 5.');

const common = {
  /** ULID, sorts by opening time. */
  id: z.string(),
  /** Event type (zone.intrusion, line.cross, …), `health.<condition>` or `system.<condition>`. */
  type: z.string(),
  /** Current priority 1..5 (1 most urgent). */
  priority: z.number().int(),
  /** Priority it was opened with. */
  basePriority: z.number().int(),
  /** Snapshot reference (ledger snapshot path), null when none (always null for system alarms). */
  snapshot: z.string().nullable(),
  /** Times it fired (1 + repeats folded into it while it was open). */
  triggerCount: z.number().int(),
  escalations: z.number().int(),
  openedMs: z.number(),
  openedAt: z.string(),
  lastTriggerMs: z.number(),
  /** Health and system alarms: when the condition cleared (null while it lasts). */
  recoveredMs: z.number().nullable(),
  acknowledgedMs: z.number().nullable(),
  acknowledgedBy: z.string().nullable(),
  updatedMs: z.number(),
  /** Rule alarms: the rule's name when it last fired (null for other kinds, or a rule without a name; the store always fills it). */
  ruleName: z.string().nullable().optional(),
  /** Rule alarms of a line: the direction of its latest crossing (null otherwise; the store always fills it). */
  direction: z.enum(['in', 'out']).nullable().optional(),
};

/** The source fields of each kind (fields of the other kinds are null, so every view has the same keys). */
const sources = {
  rule: {
    kind: z.literal('rule'),
    cameraId: z.string(),
    /** The armed rule. */
    ruleId: z.string(),
    condition: z.null(),
    /** Track that triggered it first (repeats of other tracks fold into the same alarm). */
    trackId: z.number().int(),
    /** Ledger event that opened it (the latest one after a re-trigger). */
    eventId: z.string().nullable(),
    subject: z.null(),
    detail: z.null(),
  },
  health: {
    kind: z.literal('health'),
    cameraId: z.string(),
    ruleId: z.null(),
    condition: HealthConditionSchema,
    trackId: z.null(),
    eventId: z.null(),
    subject: z.null(),
    detail: z.null(),
  },
  system: {
    kind: z.literal('system'),
    /** Site-level: no camera. */
    cameraId: z.null(),
    ruleId: z.null(),
    condition: SystemConditionSchema,
    trackId: z.null(),
    eventId: z.null(),
    /** `sink:<id>` or `outbox` (de-dup key with the condition). */
    subject: z.string(),
    detail: SystemAlarmDetailSchema,
  },
} as const;

/** The status part: a union on `status` (closed ones carry outcome, comment and closer). */
function byStatus<S extends (typeof sources)[keyof typeof sources]>(source: S) {
  return z.discriminatedUnion('status', [
    z.object({ ...common, ...source, status: z.literal('new') }),
    z.object({ ...common, ...source, status: z.literal('acknowledged') }),
    z.object({ ...common, ...source, status: z.literal('on-hold') }),
    z.object({ ...common, ...source, status: z.literal('closed'), outcome: AlarmOutcomeSchema, comment: z.string().nullable(), closedMs: z.number(), closedBy: z.string() }),
  ]);
}

/**
 * One alarm as the renderer sees it: a union on `kind` (rule, camera health, site-level system), each a union on
 * `status`. Narrow on `kind` for the source (a system alarm has no camera, a subject and its numbers) and on
 * `status` for the closing fields.
 */
export const AlarmViewSchema = z.discriminatedUnion('kind', [byStatus(sources.rule), byStatus(sources.health), byStatus(sources.system)]);
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
  /**
   * Rate limit: at most this many alarms of this rule on this camera opened in any hour; a firing past it opens
   * nothing (its event stays in the ledger) and is counted as held back. Absent = no limit beyond folding.
   */
  maxPerHour: z.number().int().min(1, 'At least 1 alarm per hour.').max(600, 'At most 600 alarms per hour.').optional(),
});
export type ArmedRule = z.infer<typeof ArmedRuleSchema>;

/** Shelving limits (ISA-18.2 "shelved": an officer silences a noisy rule for a while, with a reason). */
export const SHELVE_MIN_MINUTES = 15;
export const SHELVE_MAX_MINUTES = 8 * 60;

/** A rule of a camera shelved by an officer: it raises no alarm until `untilMs` (or until unshelved). */
export const ShelfSchema = z.object({
  id: z.number().int(),
  cameraId: z.string(),
  ruleId: z.string(),
  /** The rule's name when shelved (null when it has none). */
  ruleName: z.string().nullable(),
  reason: z.string(),
  shelvedBy: z.string(),
  shelvedMs: z.number(),
  /** When the timer restores it. */
  untilMs: z.number(),
  /** Firings held back while shelved (their events are in the ledger). */
  heldBack: z.number().int(),
  /** When it ended (null while active), by whom (`timer` when it ran out). */
  endedMs: z.number().nullable(),
  endedBy: z.string().nullable(),
});
export type Shelf = z.infer<typeof ShelfSchema>;

/**
 * The site's alarm flood state (ISA-18.2: more alarms than an operator can handle; about 10 per 10 minutes).
 * `active` while more than `threshold` alarms opened within the last `windowS` seconds.
 */
export const FloodStateSchema = z.object({
  active: z.boolean(),
  /** When the current flood began (null when none). */
  sinceMs: z.number().nullable(),
  /** Alarms opened within the window (now). */
  openedInWindow: z.number().int(),
  threshold: z.number().int(),
  windowS: z.number(),
});
export type FloodState = z.infer<typeof FloodStateSchema>;

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

/**
 * Priority after one escalation step (1 is the most urgent): one step more urgent than it was, but never more than
 * one step above the priority it opened with, so a flood of P3 alarms never becomes a flood of P1s. Escalating again
 * still sounds again and counts, without raising the priority further.
 */
export const escalatedPriority = (p: number, base: number = p): number => Math.max(1, base - 1, p - 1);
