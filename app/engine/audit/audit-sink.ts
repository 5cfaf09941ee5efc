import type { Logger } from '../logging/logger';

/**
 * Where services report state-changing actions for the audit trail. The tamper-evident audit trail (a hash
 * chain in SQLite) is built on another branch; services take this tiny interface as an optional dependency
 * (default: log only) and the engine wires it to the real trail.
 */
export interface AuditEntry {
  /** Dotted verb, e.g. `mask.lift`, `mask.restore`, `masks.save`, `retention.run`. */
  action: string;
  /** Who did it: actorName(ctx.user), or "system" for timers and schedules. */
  actor: string;
  /** What it was done to, e.g. `camera:<id>/mask:<id>`. */
  target: string;
  /** Action-specific facts (no secrets). */
  detail?: Record<string, unknown>;
}

export interface AuditSink {
  record(entry: AuditEntry): void;
}

/** Default sink: one structured log line per entry. */
export function logAuditSink(logger: Logger): AuditSink {
  const log = logger.child({ component: 'audit' });
  return { record: (entry) => log.info('audit', { ...entry }) };
}

/** Keeps entries in memory (tests). */
export class MemoryAuditSink implements AuditSink {
  readonly entries: AuditEntry[] = [];
  record(entry: AuditEntry): void {
    this.entries.push(structuredClone(entry));
  }
}
