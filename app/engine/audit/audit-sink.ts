import type { Actor } from '../../shared/domain/user';
import type { AuditTrail } from '../auth/audit-trail';

/**
 * Where services report state-changing actions that nobody invoked through the dispatcher (a mask lift ending by
 * itself, a scheduled retention run) or that need their own audit row. Services take this tiny interface; the
 * engine wires it to the hash-chained audit trail (`trailAuditSink`).
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

/** Keeps entries in memory (tests). */
export class MemoryAuditSink implements AuditSink {
  readonly entries: AuditEntry[] = [];
  record(entry: AuditEntry): void {
    this.entries.push(structuredClone(entry));
  }
}

/** The engine's sink: each entry becomes a row of the hash-chained audit trail, with the named user's role. */
export function trailAuditSink(trail: AuditTrail, actorNamed: (name: string) => Actor | undefined): AuditSink {
  return { record: (e) => void trail.record({ actor: actorNamed(e.actor), action: e.action, target: e.target, detail: e.detail }) };
}
