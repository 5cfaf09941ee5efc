import { ulid } from 'ulid';
import type { CameraState } from '../../shared/domain/camera';
import type { HealthIncident, ShiftAlarm } from '../../shared/domain/reports';
import type { Db } from '../storage/database';

/**
 * What the shift report needs from the alarms service (issue 5): the alarms opened or closed in a period,
 * with their outcome, comment and history steps. Plugged in by the engine once alarms exist.
 */
export interface ShiftAlarmSource {
  alarmsBetween(fromMs: number, toMs: number): ShiftAlarm[];
}
/** No alarms service yet: no alarms. */
export const noAlarms: ShiftAlarmSource = { alarmsBetween: () => [] };

/** Camera health incidents in a period. */
export interface HealthIncidentSource {
  incidentsBetween(fromMs: number, toMs: number): HealthIncident[];
}

const INCIDENT_STATES = new Set(['offline', 'stalled', 'reconnecting']);

/**
 * Records camera health incidents from the pushed camera states: a span opens when a camera goes offline,
 * stalls or reconnects and closes when it is online again (or disabled). Only bad-state entries are rows.
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
    if (cur && (!bad || cur.state !== state.type)) {
      this.db.prepare('UPDATE camera_incidents SET to_ms = ? WHERE id = ?').run(this.now(), cur.id);
      this.open.delete(cameraId);
    }
    if (bad && (!cur || cur.state !== state.type)) {
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
