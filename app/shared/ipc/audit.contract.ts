import { z } from 'zod';
import { invokeSpec } from './channel';

/** One row of the append-only, hash-chained audit trail. */
export const AuditRowSchema = z.object({
  /** Sequence number (1, 2, 3, ...); a gap means a row was deleted. */
  id: z.number().int(),
  /** ISO-8601 UTC. */
  at: z.string(),
  /** Login name of who acted ("system" for the engine itself). */
  actor: z.string(),
  /** Role at the time, null for the system. */
  role: z.string().nullable(),
  /** What happened: an invoke channel (`cameras:add`) or an auth event (`auth.login-failed`). */
  action: z.string(),
  /** What it was done to (camera id, event id, user name), when known. */
  target: z.string().nullable(),
  /** Redacted details (input without secrets, approver, reason). */
  detail: z.unknown(),
  /** SHA-256 of the previous row (64 zeros for the first). */
  prevHash: z.string(),
  /** SHA-256 over this row's fields and prevHash. */
  hash: z.string(),
});
export type AuditRowView = z.infer<typeof AuditRowSchema>;

/** Result of checking the chain. */
export const AuditVerifySchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('intact'), rows: z.number().int(), headId: z.number().int().nullable() }),
  z.object({
    state: z.literal('broken'),
    rows: z.number().int(),
    /** Id of the first row where the chain breaks (edited, reordered, or missing). */
    brokenId: z.number().int(),
    /**
     * Why: 'hash' (row content changed), 'link' (prevHash does not match), 'missing' (row deleted, or the newest rows
     * cut off), 'head' (rows after the recorded head, or the head missing), 'seal' (the head's keyed MAC or the
     * anchor file outside the database does not match, or the key to check them is missing).
     */
    reason: z.enum(['hash', 'link', 'missing', 'head', 'seal']),
    message: z.string(),
  }),
]);
export type AuditVerify = z.infer<typeof AuditVerifySchema>;

export const auditInvoke = {
  'audit:list': invokeSpec(
    z.object({
      /** Newest-first paging: rows with an id below this one. */
      before: z.number().int().positive().optional(),
      /** Page size 1..500 (default 100). */
      limit: z.number().int().min(1).max(500).default(100),
      /** Only actions starting with this text (e.g. "auth."). */
      action: z.string().max(64).optional(),
    }),
    z.array(AuditRowSchema),
    'Audit rows, newest first.',
  ),
  'audit:verify': invokeSpec(z.void(), AuditVerifySchema, 'Checks the hash chain: intact, or the first broken row.'),
} as const;
