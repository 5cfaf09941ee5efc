import { monotonicFactory } from 'ulid';
import {
  escalatedPriority,
  nextAlarmStatus,
  type AlarmAction,
  type AlarmHistoryEntry,
  type AlarmOutcome,
  type AlarmStatus,
  type AlarmView,
  type HealthCondition,
  type SystemAlarmDetail,
  type SystemCondition,
  SystemAlarmDetailSchema,
  systemAlarmSubject,
} from '../../shared/domain/alarms';
import { AppErrorException } from '../../shared/ipc/envelope';
import { Emitter } from '../../shared/events/emitter';
import { nullLogger, type Logger } from '../logging/logger';
import type { Db } from '../storage/database';

/** What opens an alarm. A system alarm's subject and condition come from its detail. */
export type AlarmOpenInput =
  | {
      kind: 'rule';
      cameraId: string;
      ruleId: string;
      /** The rule's name (what the alarm is titled with); null when it has none. */
      ruleName?: string | null;
      /** A line's crossing direction. */
      direction?: 'in' | 'out' | null;
      trackId: number;
      eventId: string | null;
      type: string;
      priority: number;
      snapshot: string | null;
    }
  | { kind: 'health'; cameraId: string; condition: HealthCondition; priority: number; snapshot?: string | null }
  | { kind: 'system'; detail: SystemAlarmDetail; priority: number };

/** One committed (or committing) transition. */
export interface AlarmChange {
  action: AlarmAction;
  alarm: AlarmView;
  entry: AlarmHistoryEntry;
}

/** Extra fields of a transition. */
export interface TransitionExtra {
  outcome?: AlarmOutcome;
  comment?: string | null;
  /** Retrigger: the newer event (its snapshot replaces the alarm's when given). */
  snapshot?: string | null;
  eventId?: string | null;
  /** Retrigger of a system alarm: the numbers it fires again with. */
  detail?: SystemAlarmDetail;
  /** Retrigger of a rule alarm: the rule's current name and the direction of this firing. */
  ruleName?: string | null;
  direction?: 'in' | 'out' | null;
}

interface AlarmRow {
  id: string;
  kind: 'rule' | 'health' | 'system';
  camera_id: string | null;
  subject: string | null;
  rule_id: string | null;
  rule_name: string | null;
  direction: 'in' | 'out' | null;
  condition: HealthCondition | SystemCondition | null;
  detail: string | null;
  track_id: number | null;
  event_id: string | null;
  type: string;
  status: AlarmStatus;
  priority: number;
  base_priority: number;
  snapshot: string | null;
  trigger_count: number;
  escalations: number;
  opened_ms: number;
  opened_at: string;
  last_trigger_ms: number;
  last_escalate_ms: number | null;
  recovered_ms: number | null;
  acknowledged_ms: number | null;
  acknowledged_by: string | null;
  closed_ms: number | null;
  closed_by: string | null;
  outcome: AlarmOutcome | null;
  comment: string | null;
  updated_ms: number;
}

interface HistoryRow {
  alarm_id: string;
  seq: number;
  action: AlarmAction;
  from_status: AlarmStatus | null;
  to_status: AlarmStatus;
  priority: number;
  by_user: string;
  at_ms: number;
  at: string;
  outcome: AlarmOutcome | null;
  comment: string | null;
}

export interface AlarmListFilter {
  /** 'open' (default): new, acknowledged, on hold; 'closed'; 'all'. */
  status?: 'open' | 'closed' | 'all';
  cameraId?: string;
  /** Newest first: ids strictly below this one. */
  beforeId?: string;
  limit?: number;
}

/** False-alarm figures of one rule, from the outcomes of its closed alarms. */
export interface RuleAlarmStats {
  cameraId: string;
  ruleId: string;
  closed: number;
  trueAlarms: number;
  falseAlarms: number;
  tests: number;
  /** falseAlarms / (closed − tests); null when nothing but tests (or nothing) was closed. */
  falseAlarmRate: number | null;
}

const newId = monotonicFactory();

/**
 * The one writer of alarms. Every transition (open, retrigger, escalate, acknowledge, hold, resume, close, recover)
 * is ONE SQLite transaction that updates the alarm's current row and appends an immutable history row; hooks
 * registered with onTransitionInTx run inside that same transaction (a throw rolls everything back), and
 * onTransition listeners run after the commit. Refused transitions throw AppErrorException and change nothing.
 */
export class AlarmStore {
  private readonly inTx: Array<(db: Db, change: AlarmChange) => void> = [];
  private readonly after: Emitter<[change: AlarmChange]>;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    /** Where a failing onTransition listener is reported. */
    logger: Logger = nullLogger,
  ) {
    this.after = new Emitter({ name: 'alarm transition', log: logger });
  }

  /** Called inside the transition's transaction (e.g. an outbox insert). Returns an unregister function. */
  onTransitionInTx(fn: (db: Db, change: AlarmChange) => void): () => void {
    this.inTx.push(fn);
    return () => {
      const i = this.inTx.indexOf(fn);
      if (i >= 0) this.inTx.splice(i, 1);
    };
  }

  /** Called after the transition committed (pushes, sounds). Returns an unregister function. */
  onTransition(fn: (change: AlarmChange) => void): () => void {
    const sub = this.after.on(fn);
    return () => sub.dispose();
  }

  /** Opens a new alarm (status new). */
  open(input: AlarmOpenInput, by: string): AlarmChange {
    const priority = clampPriority(input.priority);
    return this.run(() => {
      const now = this.now();
      const id = newId(now);
      this.db
        .prepare(
          `INSERT INTO alarms (id, kind, camera_id, subject, rule_id, rule_name, direction, condition, track_id, event_id, type, status, priority, base_priority,
             snapshot, detail, trigger_count, escalations, opened_ms, opened_at, last_trigger_ms, updated_ms)
           VALUES (@id, @kind, @camera_id, @subject, @rule_id, @rule_name, @direction, @condition, @track_id, @event_id, @type, 'new', @priority, @priority,
             @snapshot, @detail, 1, 0, @now, @now_at, @now, @now)`,
        )
        .run({ id, priority, now, now_at: iso(now), ...openColumns(input) });
      return this.record(id, 'open', null, 'new', by, now, {});
    });
  }

  /** Applies an action to an existing alarm; throws not-found / conflict with an officer-readable message. */
  transition(id: string, action: Exclude<AlarmAction, 'open'>, by: string, extra: TransitionExtra = {}): AlarmChange {
    return this.run(() => {
      const row = this.row(id);
      if (!row) throw new AppErrorException('not-found', 'This alarm does not exist.');
      const next = nextAlarmStatus(row.status, action);
      if (!next.ok) throw new AppErrorException('conflict', next.message);
      if (action === 'close' && !extra.outcome) throw new AppErrorException('invalid-input', 'Choose an outcome: true alarm, false alarm or test.');
      const now = this.now();
      const comment = extra.comment?.trim() ? extra.comment.trim() : null;
      const u = this.db.prepare.bind(this.db);
      switch (action) {
        case 'retrigger':
          u(`UPDATE alarms SET trigger_count = trigger_count + 1, last_trigger_ms = @now, recovered_ms = NULL, recovered_at = NULL,
               snapshot = COALESCE(@snapshot, snapshot), event_id = COALESCE(@event_id, event_id), detail = COALESCE(@detail, detail),
               rule_name = COALESCE(@rule_name, rule_name), direction = COALESCE(@direction, direction), updated_ms = @now WHERE id = @id`).run({
            id,
            now,
            rule_name: row.kind === 'rule' ? (extra.ruleName ?? null) : null,
            direction: row.kind === 'rule' ? (extra.direction ?? null) : null,
            snapshot: extra.snapshot ?? null,
            event_id: extra.eventId ?? null,
            detail: row.kind === 'system' && extra.detail ? JSON.stringify(SystemAlarmDetailSchema.parse(extra.detail)) : null,
          });
          break;
        case 'escalate':
          u(`UPDATE alarms SET priority = @p, escalations = escalations + 1, last_escalate_ms = @now, updated_ms = @now WHERE id = @id`).run({ id, now, p: escalatedPriority(row.priority, row.base_priority) });
          break;
        case 'acknowledge':
          u(`UPDATE alarms SET status = 'acknowledged', acknowledged_ms = @now, acknowledged_at = @at, acknowledged_by = @by, updated_ms = @now WHERE id = @id`).run({ id, now, at: iso(now), by });
          break;
        case 'hold':
          u(`UPDATE alarms SET status = 'on-hold', updated_ms = @now WHERE id = @id`).run({ id, now });
          break;
        case 'resume':
          u(`UPDATE alarms SET status = 'acknowledged', updated_ms = @now WHERE id = @id`).run({ id, now });
          break;
        case 'close':
          u(`UPDATE alarms SET status = 'closed', closed_ms = @now, closed_at = @at, closed_by = @by, outcome = @outcome, comment = @comment, updated_ms = @now WHERE id = @id`).run({
            id,
            now,
            at: iso(now),
            by,
            outcome: extra.outcome!,
            comment,
          });
          break;
        case 'recover':
          u(`UPDATE alarms SET recovered_ms = @now, recovered_at = @at, updated_ms = @now WHERE id = @id`).run({ id, now, at: iso(now) });
          break;
      }
      return this.record(id, action, row.status, next.status, by, now, { outcome: action === 'close' ? extra.outcome! : null, comment: action === 'close' || action === 'hold' ? comment : null });
    });
  }

  get(id: string): AlarmView | undefined {
    const r = this.row(id);
    return r ? toView(r) : undefined;
  }

  /** The open alarm of a rule on a camera (what a repeat folds into, whatever its track), newest first. */
  openRuleAlarm(cameraId: string, ruleId: string): AlarmView | undefined {
    const r = this.db.prepare(`SELECT * FROM alarms WHERE status <> 'closed' AND camera_id = ? AND rule_id = ? ORDER BY id DESC LIMIT 1`).get(cameraId, ruleId) as AlarmRow | undefined;
    return r ? toView(r) : undefined;
  }

  /** Alarms of a rule on a camera opened after `sinceMs` (its rate limit). */
  ruleOpenedSince(cameraId: string, ruleId: string, sinceMs: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM alarms WHERE camera_id = ? AND rule_id = ? AND opened_ms > ?`).get(cameraId, ruleId, Math.floor(sinceMs)) as { n: number }).n;
  }

  /** Alarms of any kind opened after `sinceMs` (the site's alarm rate, for the flood state). */
  openedSince(sinceMs: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM alarms WHERE opened_ms > ?`).get(Math.floor(sinceMs)) as { n: number }).n;
  }

  /** The open health alarm of a camera and condition. */
  openHealthAlarm(cameraId: string, condition: HealthCondition): AlarmView | undefined {
    const r = this.db.prepare(`SELECT * FROM alarms WHERE status <> 'closed' AND camera_id = ? AND condition = ? ORDER BY id DESC LIMIT 1`).get(cameraId, condition) as AlarmRow | undefined;
    return r ? toView(r) : undefined;
  }

  /** The open system alarm of a subject (`sink:<id>`, `outbox`) and condition. */
  openSystemAlarm(subject: string, condition: SystemCondition): AlarmView | undefined {
    const r = this.db.prepare(`SELECT * FROM alarms WHERE status <> 'closed' AND subject = ? AND condition = ? ORDER BY id DESC LIMIT 1`).get(subject, condition) as AlarmRow | undefined;
    return r ? toView(r) : undefined;
  }

  /** Open system alarms whose condition has not recovered (what the system detectors resume from after a start). */
  activeSystemAlarms(): AlarmView[] {
    return (this.db.prepare(`SELECT * FROM alarms WHERE status <> 'closed' AND kind = 'system' AND recovered_ms IS NULL ORDER BY id`).all() as AlarmRow[]).map(toView);
  }

  /** New alarms whose last escalation (or opening) is at or before `dueMs`. */
  dueForEscalation(dueMs: number): AlarmView[] {
    return (this.db.prepare(`SELECT * FROM alarms WHERE status = 'new' AND COALESCE(last_escalate_ms, opened_ms) <= ? ORDER BY id`).all(Math.floor(dueMs)) as AlarmRow[]).map(toView);
  }

  /** Newest first; open ones sorted by priority first. */
  list(f: AlarmListFilter = {}): AlarmView[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const status = f.status ?? 'open';
    if (status === 'open') where.push(`status <> 'closed'`);
    if (status === 'closed') where.push(`status = 'closed'`);
    if (f.cameraId) {
      where.push('camera_id = ?');
      args.push(f.cameraId);
    }
    if (f.beforeId) {
      where.push('id < ?');
      args.push(f.beforeId);
    }
    const limit = Math.max(1, Math.min(1000, Math.floor(f.limit ?? 200)));
    const order = status === 'open' ? 'priority ASC, id DESC' : 'id DESC';
    const sql = `SELECT * FROM alarms ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ${limit}`;
    return (this.db.prepare(sql).all(...args) as AlarmRow[]).map(toView);
  }

  history(alarmId: string): AlarmHistoryEntry[] {
    return (this.db.prepare('SELECT * FROM alarm_history WHERE alarm_id = ? ORDER BY seq').all(alarmId) as HistoryRow[]).map(toEntry);
  }

  /** False-alarm rate per rule from the outcomes of closed rule alarms. */
  ruleStats(cameraId?: string): RuleAlarmStats[] {
    const rows = this.db
      .prepare(
        `SELECT camera_id, rule_id, COUNT(*) AS closed,
                SUM(outcome = 'true-alarm') AS true_alarms, SUM(outcome = 'false-alarm') AS false_alarms, SUM(outcome = 'test') AS tests
         FROM alarms WHERE kind = 'rule' AND status = 'closed' ${cameraId ? 'AND camera_id = ?' : ''}
         GROUP BY camera_id, rule_id ORDER BY camera_id, rule_id`,
      )
      .all(...(cameraId ? [cameraId] : [])) as Array<{ camera_id: string; rule_id: string; closed: number; true_alarms: number; false_alarms: number; tests: number }>;
    return rows.map((r) => {
      const judged = r.closed - r.tests;
      return {
        cameraId: r.camera_id,
        ruleId: r.rule_id,
        closed: r.closed,
        trueAlarms: r.true_alarms,
        falseAlarms: r.false_alarms,
        tests: r.tests,
        falseAlarmRate: judged > 0 ? r.false_alarms / judged : null,
      };
    });
  }

  private row(id: string): AlarmRow | undefined {
    return this.db.prepare('SELECT * FROM alarms WHERE id = ?').get(id) as AlarmRow | undefined;
  }

  /** Appends the history row and runs the in-transaction hooks; returns the change. */
  private record(id: string, action: AlarmAction, from: AlarmStatus | null, to: AlarmStatus, by: string, now: number, x: { outcome?: AlarmOutcome | null; comment?: string | null }): AlarmChange {
    const row = this.row(id)!;
    const seq = ((this.db.prepare('SELECT MAX(seq) AS m FROM alarm_history WHERE alarm_id = ?').get(id) as { m: number | null }).m ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO alarm_history (alarm_id, seq, action, from_status, to_status, priority, by_user, at_ms, at, outcome, comment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, seq, action, from, to, row.priority, by, now, iso(now), x.outcome ?? null, x.comment ?? null);
    const change: AlarmChange = {
      action,
      alarm: toView(row),
      entry: { alarmId: id, seq, action, fromStatus: from, toStatus: to, priority: row.priority, by, atMs: now, at: iso(now), outcome: x.outcome ?? null, comment: x.comment ?? null },
    };
    for (const fn of this.inTx) fn(this.db, change);
    return change;
  }

  /** Runs one transition in a transaction, then notifies after-commit listeners. */
  private run(fn: () => AlarmChange): AlarmChange {
    const change = this.db.transaction(fn)();
    // A listener's failure must not undo or hide a committed transition: the emitter logs it and goes on.
    this.after.emit(change);
    return change;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();
const clampPriority = (p: number): number => Math.min(5, Math.max(1, Math.round(p)));

/** The columns an opening writes for each kind (the other kinds' columns are NULL). */
function openColumns(input: AlarmOpenInput): Record<string, string | number | null> {
  const none = { camera_id: null, subject: null, rule_id: null, rule_name: null, direction: null, condition: null, track_id: null, event_id: null, snapshot: null, detail: null };
  switch (input.kind) {
    case 'rule':
      return { ...none, kind: 'rule', camera_id: input.cameraId, rule_id: input.ruleId, rule_name: input.ruleName ?? null, direction: input.direction ?? null, track_id: Math.trunc(input.trackId), event_id: input.eventId, type: input.type, snapshot: input.snapshot };
    case 'health':
      return { ...none, kind: 'health', camera_id: input.cameraId, condition: input.condition, type: `health.${input.condition}`, snapshot: input.snapshot ?? null };
    case 'system': {
      const detail = SystemAlarmDetailSchema.parse(input.detail);
      return { ...none, kind: 'system', subject: systemAlarmSubject(detail), condition: detail.condition, type: `system.${detail.condition}`, detail: JSON.stringify(detail) };
    }
  }
}

function toView(r: AlarmRow): AlarmView {
  const common = {
    id: r.id,
    type: r.type,
    priority: r.priority,
    basePriority: r.base_priority,
    snapshot: r.snapshot,
    triggerCount: r.trigger_count,
    escalations: r.escalations,
    openedMs: r.opened_ms,
    openedAt: r.opened_at,
    lastTriggerMs: r.last_trigger_ms,
    recoveredMs: r.recovered_ms,
    acknowledgedMs: r.acknowledged_ms,
    acknowledgedBy: r.acknowledged_by,
    updatedMs: r.updated_ms,
    ruleName: r.kind === 'rule' ? (r.rule_name ?? null) : null,
    direction: r.kind === 'rule' ? (r.direction ?? null) : null,
  };
  const none = { ruleId: null, condition: null, trackId: null, eventId: null, subject: null, detail: null } as const;
  // The table's CHECKs guarantee which columns each kind has.
  const source =
    r.kind === 'rule'
      ? { ...none, kind: 'rule' as const, cameraId: r.camera_id!, ruleId: r.rule_id!, trackId: r.track_id ?? 0, eventId: r.event_id }
      : r.kind === 'health'
        ? { ...none, kind: 'health' as const, cameraId: r.camera_id!, condition: r.condition as HealthCondition }
        : { ...none, kind: 'system' as const, cameraId: null, condition: r.condition as SystemCondition, subject: r.subject!, detail: SystemAlarmDetailSchema.parse(JSON.parse(r.detail!)) };
  const status =
    r.status === 'closed'
      ? { status: 'closed' as const, outcome: r.outcome!, comment: r.comment, closedMs: r.closed_ms!, closedBy: r.closed_by ?? '' }
      : { status: r.status };
  // Spread of two unions: TypeScript gives up on the cross product (3 system conditions x 4 statuses); the schema holds.
  return { ...common, ...source, ...status } as AlarmView;
}

function toEntry(r: HistoryRow): AlarmHistoryEntry {
  return {
    alarmId: r.alarm_id,
    seq: r.seq,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    priority: r.priority,
    by: r.by_user,
    atMs: r.at_ms,
    at: r.at,
    outcome: r.outcome,
    comment: r.comment,
  };
}
