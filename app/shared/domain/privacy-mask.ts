import { z } from 'zod';
import { polygonProblem } from '../geometry/polygon';
import { pointInPolygon } from '../geometry/polygon';
import type { Point } from '../geometry/point';
import type { Box } from './detection';

/**
 * Privacy masks of one camera: polygons in normalised frame coordinates (x right, y down, 0..1), burned into
 * every picture that leaves the camera worker (live view, snapshots, and therefore every export). Detections
 * whose box centre lies inside an active mask are dropped before tracking and rules unless the mask keeps them.
 */

const coord = z.number().refine((v) => Number.isFinite(v) && v >= 0 && v <= 1, { message: 'coordinates must be within 0..1 (normalised to the frame)' });

/** How a mask hides what is behind it. */
export const MaskStyleSchema = z.enum(['solid', 'blur']);
export type MaskStyle = z.infer<typeof MaskStyleSchema>;

export const PrivacyMaskSchema = z
  .object({
    /** Stable id, unique within the camera (lifts refer to it). */
    id: z.string().min(1).max(64),
    /** Display name (defaults to the id). */
    name: z.string().max(120).optional(),
    /** Polygon, at least 3 points, simple, non-zero area. */
    points: z.array(z.tuple([coord, coord])).max(64),
    /** `solid`: filled black; `blur`: a strong box blur of what is behind it. */
    style: MaskStyleSchema.default('solid'),
    /** `ignore`: detections whose box centre is inside are dropped before rules; `keep`: rules still see them. */
    detections: z.enum(['ignore', 'keep']).default('ignore'),
  })
  .superRefine((m, ctx) => {
    const problem = polygonProblem(m.points as Point[]);
    if (problem) ctx.addIssue({ code: 'custom', path: ['points'], message: `mask "${m.id}": ${problem}` });
  });
export type PrivacyMask = z.output<typeof PrivacyMaskSchema>;
export type PrivacyMaskInput = z.input<typeof PrivacyMaskSchema>;

/** A camera's whole mask list (at most 32 masks, unique ids). */
export const MaskListSchema = z
  .array(PrivacyMaskSchema)
  .max(32)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate mask id "${m.id}"` });
      seen.add(m.id);
    });
  });

/** Longest time a supervisor may lift one mask for, minutes. */
export const MAX_LIFT_MINUTES = 120;

/** A temporary lift of one mask: the mask is not applied until `until`, then it restores itself. */
export const MaskLiftSchema = z.object({
  /** Lift id (ULID). */
  id: z.string(),
  maskId: z.string(),
  /** Who lifted it. */
  by: z.string(),
  /** Why (recorded in the audit trail). */
  reason: z.string(),
  /** ISO time of the lift. */
  at: z.string(),
  /** ISO time at which the mask restores itself. */
  until: z.string(),
});
export type MaskLift = z.output<typeof MaskLiftSchema>;

/** The masks that apply now: every mask without an active lift. */
export function activeMasks(masks: readonly PrivacyMask[], liftedIds: ReadonlySet<string>): PrivacyMask[] {
  return masks.filter((m) => !liftedIds.has(m.id));
}

/** Whether a detection box belongs to a mask that drops it (box centre inside an active `ignore` mask). */
export function maskedOut(box: Box, masks: readonly PrivacyMask[]): boolean {
  const c: Point = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
  return masks.some((m) => m.detections === 'ignore' && pointInPolygon(c, m.points as Point[]));
}
