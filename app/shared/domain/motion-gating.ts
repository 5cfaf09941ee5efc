import { z } from 'zod';

/**
 * Motion-gated detection, per camera. With gating on, the detector runs on a frame only when something moves in a
 * region that matters (near a rule, or anywhere when the camera has no rules), while the camera has live tracks,
 * for a short hold after motion, and at a low keep-alive rate otherwise. Most cameras show an empty corridor most
 * of the night: they then cost a decode and a few hundred microseconds of motion check per frame instead of a
 * detector run. Sensitivity sets how large and how strong a change must be to count as motion.
 */
export const MotionSensitivitySchema = z.enum(['low', 'medium', 'high']);
export type MotionSensitivity = z.output<typeof MotionSensitivitySchema>;

export const MotionGatingSchema = z.object({
  /** On by default: detection runs only where and while it can matter. */
  enabled: z.boolean().default(true),
  sensitivity: MotionSensitivitySchema.default('medium'),
});
export type MotionGating = z.output<typeof MotionGatingSchema>;

export const DEFAULT_MOTION_GATING: MotionGating = { enabled: true, sensitivity: 'medium' };

/** Plain words for the camera settings and the Health page. */
export const MOTION_SENSITIVITY_LABELS: Record<MotionSensitivity, string> = {
  low: 'Low (ignores small changes: trees, rain)',
  medium: 'Medium',
  high: 'High (small or distant people)',
};
