import type { AlarmHistoryEntry, AlarmView, SystemAlarmDetail } from '../../../shared/domain/alarms';
import type { CameraView } from '../../../shared/domain/camera';
import { t } from '../i18n/en';

/** What fired, as an officer reads it: "Intrusion", "Camera offline", "Export backlog", … */
export function alarmKind(a: Pick<AlarmView, 'condition' | 'type'>): string {
  if (!a.condition) return t.alarms.type[a.type] ?? a.type;
  return t.alarms.health[a.condition] ?? t.alarms.system[a.condition] ?? a.condition;
}

export function cameraName(cameras: readonly CameraView[], id: string): string {
  return cameras.find((c) => c.id === id)?.name ?? id;
}

/** Where a system alarm is (it has no camera): the export sink by name, the export outbox, or the system that sent it. */
export function systemPlace(d: SystemAlarmDetail | null): string {
  if (!d) return t.alarms.sitePlace;
  if (d.condition === 'external-alarm') return t.alarms.externalPlace(d.source, d.text);
  if (d.condition === 'recording-stopped') return t.alarms.recordingPlace;
  if (d.condition === 'analysis-starved') return t.alarms.starvedPlace;
  if (d.condition === 'face-match') return d.cameraId;
  return d.condition === 'export-backlog' ? t.alarms.sinkPlace(d.sinkName) : t.alarms.outboxPlace;
}

/** Where an alarm is: its camera's name, or for a site-level system alarm the sink or the outbox (a watchlist match: its camera). */
export function alarmPlace(a: Pick<AlarmView, 'cameraId' | 'detail'>, cameras: readonly CameraView[]): string {
  if (a.detail?.condition === 'face-match') return cameraName(cameras, a.detail.cameraId);
  return a.cameraId === null ? systemPlace(a.detail) : cameraName(cameras, a.cameraId);
}

/**
 * The rule of a rule alarm in words: its name and, for a line, the direction of its latest crossing
 * ("Entry line · in"). The name saved on the alarm first, then the camera's current rule name, then (a rule
 * without a name) its id. Null for health and system alarms.
 */
export function alarmRuleLabel(a: Pick<AlarmView, 'ruleId' | 'ruleName' | 'direction'>, ruleName?: (ruleId: string) => string | undefined): string | null {
  if (!a.ruleId) return null;
  const name = a.ruleName || ruleName?.(a.ruleId) || a.ruleId;
  return a.direction ? t.alarms.ruleWithDirection(name, t.alarms.direction[a.direction] ?? a.direction) : name;
}

/** The alarm's title as an officer reads it: "Line crossing · Gate camera · Entry line · in". */
export function alarmTitle(a: AlarmView, cameras: readonly CameraView[], ruleName?: (ruleId: string) => string | undefined): string {
  if (a.detail?.condition === 'face-match') return t.alarms.faceMatchTitle(a.detail.name, t.alarms.faceCategory[a.detail.category] ?? a.detail.category, cameraName(cameras, a.detail.cameraId));
  return t.alarms.titleOf(alarmKind(a), alarmPlace(a, cameras), alarmRuleLabel(a, ruleName));
}

/** Title and body of the desktop notification. */
export function notificationText(a: AlarmView, cameras: readonly CameraView[]): { title: string; body: string } {
  return { title: t.alarms.notificationTitle(a.priority, alarmKind(a)), body: alarmTitle(a, cameras) };
}

/** A history line: one step, or a run of consecutive repeats ("Fired again ×8") shown as one line. */
export interface HistoryLine {
  entry: AlarmHistoryEntry;
  /** Steps in this line (more than 1 only for a run of repeats). */
  count: number;
  /** Time of the last step of the run. */
  lastAtMs: number;
}

/** Folds consecutive repeats (`retrigger`) into one line, so a busy alarm's history stays readable. */
export function historyLines(history: readonly AlarmHistoryEntry[]): HistoryLine[] {
  const out: HistoryLine[] = [];
  for (const h of history) {
    const prev = out[out.length - 1];
    if (prev && h.action === 'retrigger' && prev.entry.action === 'retrigger' && prev.entry.priority === h.priority) {
      prev.count++;
      prev.lastAtMs = h.atMs;
    } else out.push({ entry: h, count: 1, lastAtMs: h.atMs });
  }
  return out;
}
