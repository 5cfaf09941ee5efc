import { systemAlarmSubject, type SystemAlarmDetail, type SystemCondition } from '../../shared/domain/alarms';

/** A site-level system condition started (raise), fired again (raise while active) or ended (clear). */
export interface SystemHealthSignal {
  /** `sink:<id>` or `outbox`. */
  subject: string;
  condition: SystemCondition;
  kind: 'raise' | 'clear';
  /** The numbers now (a clear carries the last numbers known). */
  detail: SystemAlarmDetail;
  /** Officer-readable reason (logged). */
  reason: string;
}

/** One sink's delivery figures, as the export service measures them. */
export interface SinkBacklogFacts {
  id: string;
  name: string;
  /** A sink paused by an admin is not judged (its backlog grows on purpose; an alarm it has stays as it is). */
  enabled: boolean;
  backlog: number;
  oldestAgeMs: number | null;
  /** Alarm when the oldest waiting event is older than this, ms. */
  ageThresholdMs: number;
  /** Alarm when this many events wait (null: off). */
  countThreshold: number | null;
}

/** What the export service reports at each maintenance pass: the outbox fill and every configured sink. */
export interface ExportHealthFacts {
  /** `undelivered`: rows some sink has not passed (what the cap drops after the delivered ones). */
  outbox: { rows: number; undelivered: number; cap: number; warnRatio: number; droppedTotal: number };
  sinks: SinkBacklogFacts[];
}

/** Is a sink's backlog past one of its thresholds? */
export function backlogPastThreshold(s: Pick<SinkBacklogFacts, 'backlog' | 'oldestAgeMs' | 'ageThresholdMs' | 'countThreshold'>): boolean {
  return (s.oldestAgeMs !== null && s.oldestAgeMs > s.ageThresholdMs) || (s.countThreshold !== null && s.countThreshold > 0 && s.backlog >= s.countThreshold);
}

/**
 * Are the outbox's undelivered rows at or past its warning fill? Delivered rows kept for replay do not count: at the
 * cap they go first and lose nothing but replay depth.
 */
export const outboxNearCap = (o: Pick<ExportHealthFacts['outbox'], 'undelivered' | 'cap' | 'warnRatio'>): boolean => o.undelivered >= o.cap * o.warnRatio;

interface Active {
  detail: SystemAlarmDetail;
  /** Outbox: rows dropped when it was raised (or last fired again); drops starting fire it again, once. */
  droppedAtRaise: number;
  dropsReported: boolean;
}

const key = (subject: string, condition: SystemCondition): string => `${subject}\u0000${condition}`;

/**
 * Site-level system conditions, edge-triggered like the camera health detectors:
 *
 * - **export-backlog** (per sink, subject `sink:<id>`): the oldest undelivered event is older than the sink's
 *   backlog-age threshold, or (when set) the backlog has at least its count threshold of events. Clears when the
 *   backlog drains below both. A paused sink is not judged. A removed sink clears its alarm.
 * - **outbox-near-cap** (subject `outbox`): the undelivered rows (those some sink has not passed) reach `warnRatio`
 *   (80 %) of the outbox cap; delivered rows kept for replay do not count (they go first at the cap). The export
 *   service judges it after the lossless pruning and before the cap is enforced, so the alarm opens before anything
 *   is dropped; when drops start while it lasts, it fires again once (with the dropped count).
 *
 * A raise is signalled when a condition starts (and, for the outbox, when drops start), a clear when it ends: an
 * officer who closes an alarm while its condition lasts is not alarmed again until it has cleared and comes back.
 * `resume` takes the conditions still active after a restart (open, unrecovered system alarms), so nothing is
 * raised twice and an alarm whose condition ended meanwhile recovers at the first judgement.
 */
export class SystemHealthDetector {
  private readonly active = new Map<string, Active>();
  private resumed = false;

  constructor(private readonly emit: (s: SystemHealthSignal) => void) {}

  /** Whether `resume` has run (the first judgement resumes from the stored alarms). */
  get hasResumed(): boolean {
    return this.resumed;
  }

  /** Conditions left active by the previous run (its open, unrecovered system alarms). */
  resume(active: ReadonlyArray<{ detail: SystemAlarmDetail }>): void {
    this.resumed = true;
    for (const a of active) {
      const droppedAtRaise = a.detail.condition === 'outbox-near-cap' ? a.detail.droppedTotal : 0;
      this.active.set(key(systemAlarmSubject(a.detail), a.detail.condition), { detail: a.detail, droppedAtRaise, dropsReported: false });
    }
  }

  /** One judgement of every condition from the export service's figures. */
  judge(f: ExportHealthFacts): void {
    const o = f.outbox;
    const outboxDetail: SystemAlarmDetail = { condition: 'outbox-near-cap', rows: o.rows, undelivered: o.undelivered, cap: o.cap, warnRatio: o.warnRatio, droppedTotal: o.droppedTotal };
    const near = outboxNearCap(o);
    const pct = Math.round((o.undelivered / o.cap) * 100);
    this.set(outboxDetail, near, near ? `outbox ${pct} % full of undelivered events (${o.undelivered} of ${o.cap})` : `undelivered events back to ${pct} % of the cap`);
    const ob = this.active.get(key('outbox', 'outbox-near-cap'));
    if (near && ob && !ob.dropsReported && o.droppedTotal > ob.droppedAtRaise) {
      ob.dropsReported = true;
      ob.detail = outboxDetail;
      this.emit({ subject: 'outbox', condition: 'outbox-near-cap', kind: 'raise', detail: outboxDetail, reason: `${o.droppedTotal - ob.droppedAtRaise} events dropped at the cap` });
    }

    const judged = new Set<string>();
    for (const s of f.sinks) {
      const subject = `sink:${s.id}`;
      judged.add(subject);
      if (!s.enabled) continue;
      const detail: SystemAlarmDetail = {
        condition: 'export-backlog',
        sinkId: s.id,
        sinkName: s.name,
        backlog: s.backlog,
        oldestAgeMs: s.oldestAgeMs,
        ageThresholdMs: s.ageThresholdMs,
        countThreshold: s.countThreshold !== null && s.countThreshold > 0 ? s.countThreshold : null,
      };
      const past = backlogPastThreshold(s);
      this.set(detail, past, past ? `backlog ${s.backlog}, oldest ${s.oldestAgeMs ?? 0} ms` : `backlog drained to ${s.backlog}`);
    }
    // Sinks that no longer exist: their backlog is gone with them.
    for (const [k, a] of [...this.active]) {
      if (a.detail.condition !== 'export-backlog' || judged.has(`sink:${a.detail.sinkId}`)) continue;
      this.active.delete(k);
      this.emit({ subject: `sink:${a.detail.sinkId}`, condition: 'export-backlog', kind: 'clear', detail: { ...a.detail, backlog: 0, oldestAgeMs: null }, reason: 'sink removed' });
    }
  }

  private set(detail: SystemAlarmDetail, on: boolean, reason: string): void {
    const subject = systemAlarmSubject(detail);
    const k = key(subject, detail.condition);
    const was = this.active.get(k);
    if (on === !!was) {
      if (was) was.detail = detail;
      return;
    }
    if (on) this.active.set(k, { detail, droppedAtRaise: detail.condition === 'outbox-near-cap' ? detail.droppedTotal : 0, dropsReported: false });
    else this.active.delete(k);
    this.emit({ subject, condition: detail.condition, kind: on ? 'raise' : 'clear', detail, reason });
  }
}
