import { z } from 'zod';
import { DeadLetterSchema, ExportSinkInputSchema, ExportSinkViewSchema, OutboxStatusSchema } from '../domain/export';
import { invokeSpec } from './channel';

/** Store-and-forward export: sinks (admin only to change), their delivery state, dead letters and replay. */

const SinkIdSchema = z.string().min(1).max(64);

export const exportInvoke = {
  'export:list': invokeSpec(z.void(), z.object({ sinks: z.array(ExportSinkViewSchema), outbox: OutboxStatusSchema }), 'Every sink with its delivery state (backlog, breaker, last error), and the outbox fill.'),
  'export:save': invokeSpec(ExportSinkInputSchema, ExportSinkViewSchema, 'Adds (no id) or updates a sink (admin). A secret left out keeps the saved one.'),
  'export:remove': invokeSpec(z.object({ id: SinkIdSchema }), z.object({ id: z.string() }), 'Removes a sink and its dead letters (admin).'),
  'export:test': invokeSpec(z.object({ id: SinkIdSchema }), z.object({ ok: z.boolean(), message: z.string() }), 'Connects with the saved settings and says what is wrong, if anything (admin).'),
  'export:dead-letters': invokeSpec(z.object({ sinkId: SinkIdSchema, limit: z.number().int().min(1).max(1000).default(200) }), z.array(DeadLetterSchema), 'Events the sink rejected as invalid (oldest first).'),
  'export:retry-dead-letters': invokeSpec(z.object({ sinkId: SinkIdSchema, eventIds: z.array(z.string()).max(1000).optional() }), z.object({ queued: z.number() }), 'Queues dead letters (all, or the given ones) for another attempt (admin).'),
  'export:replay': invokeSpec(z.object({ sinkId: SinkIdSchema, from: z.number().int().min(0) }), z.object({ fromSeq: z.number(), oldestAvailableAt: z.string().nullable() }), 'Sends again every retained event from this time (epoch ms) on; the receiver ignores what it already has (admin).'),
} as const;
