import { z } from 'zod';
import { RetentionPolicySchema, RetentionReportSchema } from '../domain/retention';
import { invokeSpec, pushSpec } from './channel';

/** Retention policy, its schedule and what the last run removed. */
export const RetentionStatusSchema = z.object({
  /** The policy in force. */
  policy: RetentionPolicySchema,
  /** The last run's summary, null before the first run. */
  lastRun: RetentionReportSchema.nullable(),
  /** ISO time of the next scheduled run, null when none is scheduled (engine stopped). */
  nextRunAt: z.string().nullable(),
});
export type RetentionStatus = z.output<typeof RetentionStatusSchema>;

export const retentionInvoke = {
  'retention:get': invokeSpec(z.void(), RetentionStatusSchema, 'The retention policy, the next run and the last run summary.'),
  'retention:set': invokeSpec(z.object({ policy: RetentionPolicySchema }).strict(), RetentionStatusSchema, 'Replaces the retention policy (audited); the schedule follows the new interval.'),
  'retention:run': invokeSpec(z.void(), RetentionReportSchema, 'Runs retention now and returns what it removed (also pushed as retention:ran).'),
} as const;

export const retentionPush = {
  'retention:ran': pushSpec(RetentionReportSchema, 'A retention run finished: what it removed.'),
} as const;
