import { z } from 'zod';
import { ModelViewSchema } from '../domain/model';
import { invokeSpec, pushSpec } from './channel';

export const DetectionStatusSchema = z.object({
  /** on: a model runs; off: no usable model (message says how to add one). */
  state: z.enum(['on', 'off']),
  modelId: z.string().nullable(),
  message: z.string(),
  executionProvider: z.string().nullable(),
  /** true while the fallback detector (converted at install) runs: the UI suggests installing a better one. */
  fallback: z.boolean().optional(),
});
export type DetectionStatus = z.infer<typeof DetectionStatusSchema>;

export const modelsInvoke = {
  'models:list': invokeSpec(z.void(), z.array(ModelViewSchema), 'Installed and known models.'),
  'models:set-default': invokeSpec(z.object({ id: z.string().min(1).max(120).nullable() }), z.array(ModelViewSchema), 'Chooses the site default detector (null = best by rank).'),
  'models:status': invokeSpec(z.void(), DetectionStatusSchema, 'Whether detection runs, with which model and provider.'),
} as const;
export const modelsPush = {
  'models:status': pushSpec(DetectionStatusSchema, 'Detection status changed (model loaded, failed, replaced).'),
} as const;
