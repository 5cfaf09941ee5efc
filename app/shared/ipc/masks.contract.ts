import { z } from 'zod';
import { CameraIdSchema } from '../domain/camera';
import { MAX_LIFT_MINUTES, MaskLiftSchema, PrivacyMaskSchema } from '../domain/privacy-mask';
import { invokeSpec, pushSpec } from './channel';

/** Privacy masks per camera and their temporary lifts. */

/** The saved masks of one camera with the lifts in force. */
export const CameraMasksSchema = z.object({
  /** Camera the masks belong to. */
  cameraId: CameraIdSchema,
  /** Every saved mask (lifted ones included); empty when none. */
  masks: z.array(PrivacyMaskSchema),
  /** Lifts in force now (each ends by itself at `until`). */
  lifts: z.array(MaskLiftSchema),
  /** ISO time of the last save; null when the camera never had masks saved. */
  updatedAt: z.string().nullable(),
});
export type CameraMasks = z.output<typeof CameraMasksSchema>;

/** Input of `masks:save`: checked by the engine with MaskListSchema so one message lists every problem. */
export const MasksSaveInputSchema = z.object({
  /** Camera whose whole mask list is replaced. */
  cameraId: CameraIdSchema,
  /** The complete new mask list (PrivacyMaskInput[]). */
  masks: z.array(z.unknown()).max(32),
});

/** Input of `masks:lift`. */
export const MaskLiftInputSchema = z.object({
  cameraId: CameraIdSchema,
  /** The mask to lift. */
  maskId: z.string().min(1).max(64),
  /** How long, whole minutes, 1..MAX_LIFT_MINUTES; the mask restores itself afterwards. */
  minutes: z.number().int().min(1).max(MAX_LIFT_MINUTES),
  /** Why the mask is lifted (kept in the audit trail). */
  reason: z.string().trim().min(1, 'Give a reason.').max(500),
});

export const masksInvoke = {
  'masks:get': invokeSpec(z.object({ cameraId: CameraIdSchema }), CameraMasksSchema, 'The privacy masks of one camera and the lifts in force.'),
  'masks:save': invokeSpec(MasksSaveInputSchema, CameraMasksSchema, 'Validates and replaces the privacy masks of one camera; a running camera burns them in at once.'),
  'masks:lift': invokeSpec(MaskLiftInputSchema, CameraMasksSchema, 'Lifts one mask for a limited time (audited); it restores itself when the time is up.'),
  'masks:restore': invokeSpec(z.object({ cameraId: CameraIdSchema, maskId: z.string().min(1).max(64) }), CameraMasksSchema, 'Ends a lift early (audited).'),
} as const;

export const masksPush = {
  'masks:changed': pushSpec(CameraMasksSchema, 'The masks of one camera, or their lifts, changed.'),
} as const;
