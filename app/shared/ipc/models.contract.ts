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

/** Progress of a model being fetched from an address and checked (pushed while it runs, then once at the end). */
export const ModelInstallProgressSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'checking', 'done', 'failed']),
  received: z.number().int().min(0),
  /** null when the server sent no length. */
  total: z.number().int().min(0).nullable(),
  /** The installed model's id (done). */
  modelId: z.string().nullable(),
  /** Why it failed, in words (failed). */
  message: z.string().nullable(),
});
export type ModelInstallProgress = z.infer<typeof ModelInstallProgressSchema>;

export const modelsInvoke = {
  'models:list': invokeSpec(z.void(), z.array(ModelViewSchema), 'Installed and known models.'),
  'models:set-default': invokeSpec(z.object({ id: z.string().min(1).max(120).nullable() }), z.array(ModelViewSchema), 'Chooses the site default detector (null = best by rank).'),
  'models:fetch-url': invokeSpec(
    z.object({
      /** http(s) address of an .onnx file (a mirror on the site's network, or the publisher's). */
      url: z.string().url().max(2000).refine((u) => /^https?:\/\//i.test(u), { message: 'the address must start with http:// or https://' }),
      /** The file's SHA-256 as the publisher gives it: the download is kept only when it matches. */
      sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { message: 'a SHA-256 is 64 hexadecimal characters' }),
    }),
    z.object({ jobId: z.string() }),
    'Downloads a model from an address, keeps it only when its SHA-256 matches and ONNX Runtime opens it with a known decoder; progress on models:install-progress.',
  ),
  'models:status': invokeSpec(z.void(), DetectionStatusSchema, 'Whether detection runs, with which model and provider.'),
} as const;
export const modelsPush = {
  'models:install-progress': pushSpec(ModelInstallProgressSchema, 'A model fetched from an address: bytes received, then checked, installed or refused.'),
  'models:status': pushSpec(DetectionStatusSchema, 'Detection status changed (model loaded, failed, replaced).'),
} as const;
