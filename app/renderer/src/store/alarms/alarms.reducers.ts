import { isOpenStatus, type AlarmAction, type AlarmHistoryEntry, type AlarmView } from '../../../../shared/domain/alarms';
import type { AlarmsState } from './alarms.state';

const CLOSED_KEPT = 50;

/** Most urgent first (priority 1 before 5), then newest. */
export const byUrgency = (a: AlarmView, b: AlarmView): number => a.priority - b.priority || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function listsReceived(s: AlarmsState, open: AlarmView[], closed: AlarmView[]): AlarmsState {
  return { ...s, open: [...open].sort(byUrgency), closed: closed.slice(0, CLOSED_KEPT), loaded: true };
}

/** Upserts an alarm into the right list (open or closed). */
export function alarmUpdated(s: AlarmsState, alarm: AlarmView): AlarmsState {
  const open = s.open.filter((a) => a.id !== alarm.id);
  const closed = s.closed.filter((a) => a.id !== alarm.id);
  if (isOpenStatus(alarm.status)) open.push(alarm);
  else closed.unshift(alarm);
  return { ...s, open: open.sort(byUrgency), closed: closed.slice(0, CLOSED_KEPT), checked: s.checked.filter((id) => open.some((a) => a.id === id)) };
}

/** Ticks or unticks an open alarm for a bulk action. */
export function checkToggled(s: AlarmsState, id: string, on: boolean): AlarmsState {
  const rest = s.checked.filter((x) => x !== id);
  return { ...s, checked: on && s.open.some((a) => a.id === id) ? [...rest, id] : rest, bulkNote: null };
}

/** Lowest priority shown during a flood while lower ones are folded away. */
export const FLOOD_SHOWN_PRIORITY = 2;

/** The queue as shown: everything, or during a flood (unless asked) only P1–P2, with the count folded away. */
export function visibleQueue(open: readonly AlarmView[], floodActive: boolean, showLower: boolean): { shown: AlarmView[]; folded: number } {
  if (!floodActive || showLower) return { shown: [...open], folded: 0 };
  const shown = open.filter((a) => a.priority <= FLOOD_SHOWN_PRIORITY);
  return { shown, folded: open.length - shown.length };
}

/** A pushed change: list update, history of the selected alarm, and the change record for alerts. */
export function changeReceived(s: AlarmsState, action: AlarmAction, alarm: AlarmView, entry: AlarmHistoryEntry): AlarmsState {
  const next = alarmUpdated(s, alarm);
  const history = s.selectedId === alarm.id && !s.history.some((h) => h.seq === entry.seq) ? [...s.history, entry] : s.history;
  const firedId = action === 'open' || action === 'escalate' ? alarm.id : s.firedId;
  return { ...next, history, firedId, lastChange: { seq: (s.lastChange?.seq ?? 0) + 1, action, alarm } };
}

/** The alarm after `currentId` in the queue (wraps), or the first. */
export function nextAlarmId(open: readonly AlarmView[], currentId: string | null): string | null {
  if (!open.length) return null;
  const i = open.findIndex((a) => a.id === currentId);
  return open[(i + 1) % open.length]!.id;
}
