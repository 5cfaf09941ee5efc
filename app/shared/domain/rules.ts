import { z } from 'zod';
import { polygonProblem } from '../geometry/polygon';
import { polylineProblem } from '../geometry/polyline';
import type { Point } from '../geometry/point';

/**
 * Analytics rules for one camera: counting lines and zones, all in normalised frame coordinates (x right,
 * y down, 0..1). The rules file is `{"rules": [...]}`.
 *
 * Direction of a line: its "in" direction is the drawn direction P1->P2 rotated 90 degrees counter-clockwise
 * AS SEEN ON SCREEN. A line drawn left->right counts "in" for objects moving up; a line drawn top->bottom counts
 * "in" for objects moving right.
 */

const coord = z.number().refine((v) => Number.isFinite(v) && v >= 0 && v <= 1, { message: 'coordinates must be within 0..1 (normalised to the frame)' });
const PointSchema = z.tuple([coord, coord]);

/** Which point of a box stands for the object. Feet (bottom-center) suit floors; center suits side views. */
const AnchorSchema = z.enum(['bottom-center', 'center']);

const common = {
  /** Stable id, unique within the camera; events and counters refer to it. */
  id: z.string().min(1).max(64),
  /** Display name (defaults to the id). */
  name: z.string().max(120).optional(),
  /** Disabled rules are kept but produce nothing. */
  enabled: z.boolean().default(true),
  /** Overlay colour, CSS hex (#rgb or #rrggbb). */
  colour: z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/).optional(),
  /** Which point of the box is tested. */
  anchor: AnchorSchema.default('bottom-center'),
  /** Object classes this rule applies to (model class names). */
  classes: z.array(z.string().min(1)).min(1).default(['person']),
};

export const LineRuleSchema = z
  .object({
    ...common,
    type: z.literal('line'),
    /** 2 points = a segment; more = a polyline. Drawn direction defines "in" (see file comment). */
    points: z.array(PointSchema).min(2, { message: 'a line needs at least 2 points' }),
    /** The anchor must get this far (normalised units) past the line before the new side counts. */
    hysteresis: z.number().min(0).max(0.25).default(0.02),
    /** The anchor must be seen on the new side (beyond the hysteresis band) for this many frames ... */
    minFrames: z.number().int().min(1).max(100).default(2),
    /** ... and for at least this long (seconds), before a crossing counts. */
    minSeconds: z.number().min(0).max(30).default(0.1),
  })
  .superRefine((r, ctx) => {
    const problem = polylineProblem(r.points as Point[]);
    if (problem) ctx.addIssue({ code: 'custom', path: ['points'], message: `line "${r.id}": ${problem}` });
  });

/** A weekly time window in local time. `from` > `to` spans midnight. */
export const ScheduleWindowSchema = z.object({
  /** Days of week the window starts on, 0 = Sunday .. 6 = Saturday; all days when absent. */
  days: z.array(z.number().int().min(0).max(6)).optional(),
  /** Start, "HH:MM" local time. */
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  /** End, "HH:MM" local time (exclusive). */
  to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
});

export const ZoneRuleSchema = z
  .object({
    ...common,
    type: z.literal('zone'),
    /** Polygon, at least 3 points, simple (not self-intersecting), non-zero area. */
    points: z.array(PointSchema),
    /** Membership changes only after the anchor has been on the other side of the boundary this long (s). */
    minSeconds: z.number().min(0).max(30).default(0.3),
    /** Emit `zone.loiter` once per visit when an object stays longer than this (seconds); off when absent. */
    loiterSeconds: z.number().positive().optional(),
    /** Emit `zone.overcrowd` when occupancy exceeds maxOccupancy for at least forSeconds; off when absent. */
    overcrowd: z.object({ maxOccupancy: z.number().int().min(0), forSeconds: z.number().min(0).default(0) }).optional(),
    /** Emit `zone.intrusion` once per visit while inside during the schedule (always when no schedule). */
    intrusion: z.object({ schedule: z.array(ScheduleWindowSchema).optional() }).optional(),
    /**
     * Dwell reporting: the daily report (PDF and CSV) shows how long people stayed in this zone (median, 90th
     * percentile and longest visit, per hour), from the ledger's zone.enter/zone.exit rows of each track. Off when absent.
     */
    dwellReport: z.boolean().optional(),
  })
  .superRefine((r, ctx) => {
    const problem = polygonProblem(r.points as Point[]);
    if (problem) ctx.addIssue({ code: 'custom', path: ['points'], message: `zone "${r.id}": ${problem}` });
  });

export const RuleSchema = z.discriminatedUnion('type', [LineRuleSchema, ZoneRuleSchema], {
  error: (iss) => (iss.code === 'invalid_union' ? 'unknown rule type (expected "line" or "zone")' : undefined),
});

export const RulesFileSchema = z
  .object({ rules: z.array(RuleSchema) })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${r.id}"` });
      seen.add(r.id);
    });
  });

export type LineRule = z.output<typeof LineRuleSchema>;
export type ZoneRule = z.output<typeof ZoneRuleSchema>;
export type Rule = z.output<typeof RuleSchema>;
export type RulesFile = z.output<typeof RulesFileSchema>;
export type ScheduleWindow = z.output<typeof ScheduleWindowSchema>;

/** Parses a rules file; throws an Error whose message lists every problem (path: message). */
export function parseRulesFile(input: unknown): RulesFile {
  const r = RulesFileSchema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`);
  throw new Error(`invalid rules: ${lines.join('; ')}`);
}
