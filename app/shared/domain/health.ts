import { z } from 'zod';

/** Upper bounds of the latency histograms' buckets, seconds (Prometheus `le`; +Inf is implied): decode, inference, delay. */
export const LATENCY_BUCKETS_S = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] as const;

export const HealthLevelSchema = z.enum(['healthy', 'degraded', 'unhealthy']);
export type HealthLevel = z.infer<typeof HealthLevelSchema>;

export const ComponentHealthSchema = z.object({
  /** Stable id, e.g. `database`, `camera:<id>`, `worker:camera:<id>`, `worker:inference`. */
  id: z.string(),
  kind: z.enum(['database', 'camera', 'worker', 'inference', 'model', 'host', 'exporter']),
  name: z.string(),
  level: HealthLevelSchema,
  /** One line an officer can read: why it is not healthy, or what it is doing. */
  detail: z.string(),
  metrics: z
    .object({
      fps: z.number().optional(),
      lastFrameAgeMs: z.number().nullable().optional(),
      reconnects: z.number().optional(),
      droppedFrames: z.number().optional(),
      inferenceMs: z.number().optional(),
      /**
       * Cameras: ffmpeg's wall-clock decode time per decoded frame, mean of the last 100 frames, ms rounded to 0.1
       * (engine/camera/decode-timing.ts). Absent until measured, and with ffmpeg versions that cannot time it.
       */
      decodeLatencyMs: z.number().optional(),
      /** Cameras: every decoded frame's decode time since the camera worker started, as a histogram (/metrics). */
      decodeHistogram: z.object({ buckets: z.array(z.number()), count: z.number(), sum: z.number() }).optional(),
      cpuPercent: z.number().optional(),
      rssBytes: z.number().optional(),
      pid: z.number().optional(),
      restarts: z.number().optional(),
      executionProvider: z.string().optional(),
    })
    .default({}),
});
export type ComponentHealth = z.infer<typeof ComponentHealthSchema>;

export const HealthReportSchema = z.object({
  level: HealthLevelSchema,
  at: z.string(),
  components: z.array(ComponentHealthSchema),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;

export function worstLevel(levels: HealthLevel[]): HealthLevel {
  if (levels.includes('unhealthy')) return 'unhealthy';
  if (levels.includes('degraded')) return 'degraded';
  return 'healthy';
}
