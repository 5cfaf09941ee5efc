import type { AlarmView } from '../../../shared/domain/alarms';
import type { CameraView } from '../../../shared/domain/camera';
import { t } from '../i18n/en';

/** What fired, as an officer reads it: "Intrusion", "Camera offline", … */
export function alarmKind(a: Pick<AlarmView, 'condition' | 'type'>): string {
  return a.condition ? (t.alarms.health[a.condition] ?? a.condition) : (t.alarms.type[a.type] ?? a.type);
}

export function cameraName(cameras: readonly CameraView[], id: string): string {
  return cameras.find((c) => c.id === id)?.name ?? id;
}

/** Title and body of the desktop notification. */
export function notificationText(a: AlarmView, cameras: readonly CameraView[]): { title: string; body: string } {
  return { title: t.alarms.notificationTitle(a.priority, alarmKind(a)), body: t.alarms.titleOf(alarmKind(a), cameraName(cameras, a.cameraId), a.ruleId) };
}
