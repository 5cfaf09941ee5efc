import { z } from 'zod';
import { CameraIdSchema } from '../domain/camera';
import { RuleSchema } from '../domain/rules';
import { invokeSpec, pushSpec } from './channel';

/** The saved rules of one camera. */
export const CameraRulesSchema = z.object({
  /** Camera the rules belong to. */
  cameraId: CameraIdSchema,
  /** Lines and zones, normalised frame coordinates (see domain/rules.ts); empty when none were saved. */
  rules: z.array(RuleSchema),
  /** ISO time of the last save; null when the camera never had rules saved. */
  updatedAt: z.string().nullable(),
});
export type CameraRules = z.output<typeof CameraRulesSchema>;

/**
 * Input of `rules:save`. Rules travel unvalidated through the transport and are checked by the engine with
 * RulesFileSchema (parseRulesFile), so the officer gets one message listing every problem ("rules.0.points:
 * zone "z1": the polygon intersects itself") and a rejected save changes nothing.
 */
export const RulesSaveInputSchema = z.object({
  /** Camera whose whole rule list is replaced. */
  cameraId: CameraIdSchema,
  /** The complete new rule list (RuleInput[]); defaults are filled by the schema. */
  rules: z.array(z.unknown()),
});

/** Live counter of one rule; lines fill in/out, zones enter/exit/occupancy/maxOccupancy. */
export const RuleCounterSchema = z.object({
  /** Crossings in the line's "in" direction. */
  in: z.number().int().min(0).optional(),
  /** Crossings against the line's "in" direction. */
  out: z.number().int().min(0).optional(),
  /** Objects that entered the zone. */
  enter: z.number().int().min(0).optional(),
  /** Objects that left the zone. */
  exit: z.number().int().min(0).optional(),
  /** Objects inside the zone now. */
  occupancy: z.number().int().min(0).optional(),
  /** Highest occupancy seen since the counters were reset. */
  maxOccupancy: z.number().int().min(0).optional(),
});
export type RuleCounter = z.output<typeof RuleCounterSchema>;

/** Counters of every rule of one camera at one moment. */
export const RulesCountersSchema = z.object({
  /** Camera the counters belong to. */
  cameraId: CameraIdSchema,
  /** Rule id -> its counters. */
  counters: z.record(z.string(), RuleCounterSchema),
  /** ISO time the counters were taken. */
  at: z.string(),
});
export type RulesCounters = z.output<typeof RulesCountersSchema>;

export const rulesInvoke = {
  'rules:get': invokeSpec(z.object({ cameraId: CameraIdSchema }), CameraRulesSchema, 'The saved lines and zones of one camera.'),
  'rules:save': invokeSpec(RulesSaveInputSchema, CameraRulesSchema, 'Validates (RulesFileSchema) and replaces the rules of one camera; a running camera applies them without restart.'),
} as const;

export const rulesPush = {
  'rules:changed': pushSpec(z.object({ cameraId: CameraIdSchema, rules: z.array(RuleSchema) }), 'The rules of one camera were saved.'),
  'rules:counters': pushSpec(RulesCountersSchema, 'Live counters per rule of one camera (low rate, about 1 Hz).'),
} as const;
