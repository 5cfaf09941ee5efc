import type { AlarmView, SystemAlarmDetail } from '../../../shared/domain/alarms';
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
  return d.condition === 'export-backlog' ? t.alarms.sinkPlace(d.sinkName) : t.alarms.outboxPlace;
}

/** Where an alarm is: its camera's name, or for a site-level system alarm the sink or the outbox. */
export function alarmPlace(a: Pick<AlarmView, 'cameraId' | 'detail'>, cameras: readonly CameraView[]): string {
  return a.cameraId === null ? systemPlace(a.detail) : cameraName(cameras, a.cameraId);
}

/** Title and body of the desktop notification. */
export function notificationText(a: AlarmView, cameras: readonly CameraView[]): { title: string; body: string } {
  return { title: t.alarms.notificationTitle(a.priority, alarmKind(a)), body: t.alarms.titleOf(alarmKind(a), alarmPlace(a, cameras), a.ruleId) };
}
