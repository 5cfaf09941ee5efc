import { ulid } from 'ulid';
import type { CameraState } from '../../shared/domain/camera';
import { parseRulesFile } from '../../shared/domain/rules';
import type { HealthIncident, ShiftAlarm } from '../../shared/domain/reports';
import type { Db } from '../storage/database';

/**
 * What the shift report needs from the alarms service: the alarms opened or closed in a period,
 * with their outcome, comment and history steps. Plugged in by the engine once alarms exist.
 */
export interface ShiftAlarmSource {
  alarmsBetween(fromMs: number, toMs: number): ShiftAlarm[];
}
/** No alarms service yet: no alarms. */
export const noAlarms: ShiftAlarmSource = { alarmsBetween: () => [] };

const OUTCOME_LABEL: Record<string, string> = { 'true-alarm': 'true alarm', 'false-alarm': 'false alarm', test: 'test' };
const CONDITION_LABEL: Record<string, string> = {
  offline: 'camera offline',
  frozen: 'frozen picture',
  black: 'black or covered lens',
  'low-fps': 'analysis fps too low',
  'export-backlog': 'export backlog',
  'outbox-near-cap': 'export outbox nearly full',
  'analysis-starved': 'cameras not analysed often enough (detector overloaded)',
  'face-match': 'watchlist match',
};
/** What the camera column says for a site-level system alarm (it has no camera). */
export const SITE_LEVEL = 'site (no camera)';

interface StoredAlarmRow {
  id: string;
  kind: 'rule' | 'health' | 'system';
  camera_id: string | null;
  rule_id: string | null;
  condition: string | null;
  detail: string | null;
  type: string;
  priority: number;
  opened_ms: number;
  closed_ms: number | null;
  outcome: string | null;
  comment: string | null;
}

/**
 * Reads the alarms of migrations 4 and 9 (`alarms` + immutable `alarm_history`, written by AlarmStore) straight from the
 * database: every alarm active during [from, to) — opened before its end and not closed before its start — with
 * its outcome, closing comment and every history step (who, when, what, comment). Used by the engine and the CLIs.
 */
export function storedAlarms(db: Db, cameraName: (id: string) => string): ShiftAlarmSource {
  return {
    alarmsBetween(fromMs, toMs) {
      const where = 'a.opened_ms < @to AND (a.closed_ms IS NULL OR a.closed_ms >= @from)';
      const args = { from: fromMs, to: toMs };
      const rows = db
        .prepare(`SELECT a.id, a.kind, a.camera_id, a.rule_id, a.condition, a.detail, a.type, a.priority, a.opened_ms, a.closed_ms, a.outcome, a.comment FROM alarms a WHERE ${where} ORDER BY a.opened_ms, a.id`)
        .all(args) as StoredAlarmRow[];
      if (!rows.length) return [];
      const steps = new Map<string, ShiftAlarm['steps']>();
      const hist = db
        .prepare(`SELECT h.alarm_id, h.action, h.by_user, h.at_ms, h.outcome, h.comment FROM alarm_history h JOIN alarms a ON a.id = h.alarm_id WHERE ${where} ORDER BY h.alarm_id, h.seq`)
        .all(args) as Array<{ alarm_id: string; action: string; by_user: string; at_ms: number; outcome: string | null; comment: string | null }>;
      for (const h of hist) {
        const action = h.action === 'close' && h.outcome ? `close as ${OUTCOME_LABEL[h.outcome] ?? h.outcome}` : h.action;
        let list = steps.get(h.alarm_id);
        if (!list) steps.set(h.alarm_id, (list = []));
        list.push({ at: h.at_ms, user: h.by_user, action, comment: h.comment });
      }
      const rules = ruleNames(db);
      return rows.map((r) => ({
        id: r.id,
        camera: r.camera_id === null ? SITE_LEVEL : cameraName(r.camera_id),
        rule: alarmWhat(r, rules),
        priority: `P${r.priority}`,
        openedAt: r.opened_ms,
        closedAt: r.closed_ms,
        outcome: r.outcome === null ? null : (OUTCOME_LABEL[r.outcome] ?? r.outcome),
        comment: r.comment,
        steps: steps.get(r.id) ?? [],
      }));
    },
  };
}

/** The report's "rule" column: the rule and event type, the health condition, or the system condition and subject. */
function alarmWhat(r: StoredAlarmRow, rules: Map<string, string>): string {
  const label = CONDITION_LABEL[r.condition ?? ''] ?? r.condition;
  if (r.kind === 'health') return `health: ${label}`;
  if (r.kind === 'rule') return `${rules.get(`${r.camera_id}\u0000${r.rule_id}`) ?? r.rule_id} (${r.type})`;
  let sink: string | null = null;
  try {
    const d = r.detail ? (JSON.parse(r.detail) as { sinkName?: unknown }) : {};
    sink = typeof d.sinkName === 'string' ? d.sinkName : null;
  } catch {
    // Unreadable detail: the condition alone.
  }
  return `system: ${label}${sink ? ` (sink ${sink})` : ''}`;
}

/** Rule names by camera and rule id (ids stand in for rules this version cannot read). */
function ruleNames(db: Db): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of db.prepare('SELECT camera_id, rules_json FROM rules').all() as Array<{ camera_id: string; rules_json: string }>) {
    try {
      for (const rule of parseRulesFile({ rules: JSON.parse(r.rules_json) as unknown }).rules) out.set(`${r.camera_id}\u0000${rule.id}`, rule.name ?? rule.id);
    } catch {
      // Unreadable rules row: the id stands in for the name.
    }
  }
  return out;
}

/** Camera health incidents in a period. */
export interface HealthIncidentSource {
  incidentsBetween(fromMs: number, toMs: number): HealthIncident[];
}

const INCIDENT_STATES = new Set(['offline', 'stalled', 'reconnecting']);

/**
 * Records camera health incidents from the pushed camera states: a span opens when a camera goes offline,
 * stalls or reconnects and closes only when it is online again (or disabled). Retries in between (connecting,
 * offline again, reconnecting) continue the same span, so a missing file retried every minute is ONE incident
 * with a duration, not a row per minute; its detail follows the latest reason.
 */
export class CameraIncidentRecorder implements HealthIncidentSource {
  private readonly open = new Map<string, { id: string; state: string }>();

  constructor(
    private readonly db: Db,
    private readonly cameraName: (id: string) => string,
    private readonly now: () => number = Date.now,
  ) {
    // Spans left open by a previous run end where that run ended (unknown): close them at their start.
    db.prepare('UPDATE camera_incidents SET to_ms = from_ms WHERE to_ms IS NULL').run();
  }

  onState(cameraId: string, state: CameraState): void {
    const cur = this.open.get(cameraId);
    const bad = INCIDENT_STATES.has(state.type);
    const over = state.type === 'online' || state.type === 'disabled';
    if (cur && over) {
      this.db.prepare('UPDATE camera_incidents SET to_ms = ? WHERE id = ?').run(this.now(), cur.id);
      this.open.delete(cameraId);
      return;
    }
    if (cur) {
      // Still without a picture: the same incident goes on; keep its latest reason.
      if ((state.type === 'offline' || state.type === 'reconnecting') && state.reason) this.db.prepare('UPDATE camera_incidents SET detail = ? WHERE id = ?').run(state.reason, cur.id);
      return;
    }
    if (bad) {
      const id = ulid(this.now());
      const detail = state.type === 'offline' || state.type === 'reconnecting' ? state.reason : null;
      const since = 'since' in state ? state.since : this.now();
      this.db.prepare('INSERT INTO camera_incidents (id, camera_id, state, from_ms, to_ms, detail) VALUES (?, ?, ?, ?, NULL, ?)').run(id, cameraId, state.type, since, detail);
      this.open.set(cameraId, { id, state: state.type });
    }
  }

  incidentsBetween(fromMs: number, toMs: number): HealthIncident[] {
    return storedIncidents(this.db, this.cameraName).incidentsBetween(fromMs, toMs);
  }
}

/** Reads stored incidents without recording (CLI). */
export function storedIncidents(db: Db, cameraName: (id: string) => string): HealthIncidentSource {
  return {
    incidentsBetween(fromMs, toMs) {
      const rows = db
        .prepare('SELECT camera_id, state, from_ms, to_ms, detail FROM camera_incidents WHERE from_ms < ? AND (to_ms IS NULL OR to_ms >= ?) ORDER BY from_ms')
        .all(toMs, fromMs) as Array<{ camera_id: string; state: string; from_ms: number; to_ms: number | null; detail: string | null }>;
      return rows.map((r) => ({ cameraId: r.camera_id, camera: cameraName(r.camera_id), state: r.state, from: r.from_ms, to: r.to_ms, detail: r.detail }));
    },
  };
}
