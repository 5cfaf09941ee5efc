import type { AlarmView } from '../../../../shared/domain/alarms';
import type { RootState } from '../root-state';

export const selectOpenAlarms = (s: RootState): AlarmView[] => s.alarms.open;
export const selectClosedAlarms = (s: RootState): AlarmView[] => s.alarms.closed;
export const selectSelectedAlarm = (s: RootState): AlarmView | undefined =>
  s.alarms.open.find((a) => a.id === s.alarms.selectedId) ?? s.alarms.closed.find((a) => a.id === s.alarms.selectedId);
export const selectAlarmHistory = (s: RootState) => s.alarms.history;
export const selectRuleStats = (s: RootState) => s.alarms.stats;
export const selectArming = (s: RootState) => s.alarms.arming;
export const selectAlarmActionError = (s: RootState) => s.alarms.actionError;
export const selectLastAlarmChange = (s: RootState) => s.alarms.lastChange;
export const selectAlarmSettings = (s: RootState) => s.alarms.settings;
export const selectClosing = (s: RootState) => s.alarms.closing;
export const selectTimeZone = (s: RootState) => s.alarms.timeZone;
/** The alarm the alarm monitor shows: the one that fired last while it is open, else the most urgent new one, else the most urgent open one. */
export const selectMonitorAlarm = (s: RootState): AlarmView | undefined =>
  s.alarms.open.find((a) => a.id === s.alarms.firedId) ?? s.alarms.open.find((a) => a.status === 'new') ?? s.alarms.open[0];
export const selectShelves = (s: RootState) => s.alarms.shelves;
export const selectFlood = (s: RootState) => s.alarms.flood;
export const selectChecked = (s: RootState) => s.alarms.checked;
export const selectBulkClosing = (s: RootState) => s.alarms.bulkClosing;
export const selectBulkNote = (s: RootState) => s.alarms.bulkNote;
export const selectShowLower = (s: RootState) => s.alarms.showLower;
