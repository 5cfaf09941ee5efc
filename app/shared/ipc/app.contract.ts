import { z } from 'zod';
import { invokeSpec } from './channel';

export const AppInfoSchema = z.object({
  /** Which host serves this renderer. */
  host: z.enum(['electron', 'headless']),
  version: z.string(),
  dataDir: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const appInvoke = {
  'app:info': invokeSpec(z.void(), AppInfoSchema, 'Host kind, version and data directory.'),
} as const;
