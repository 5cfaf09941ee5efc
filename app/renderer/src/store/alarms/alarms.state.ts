import type { AlarmAction, AlarmHistoryEntry, AlarmView } from '../../../../shared/domain/alarms';
import type { AlarmSettings, Arming } from '../../../../shared/ipc/alarms.contract';
import type { InvokeOutput } from '../../../../shared/ipc/contracts';

/** The latest alarm change pushed by the host (drives sound, notification and the alarm monitor). */
export interface AlarmChangeSeen {
  /** Increments per change received. */
  seq: number;
  action: AlarmAction;
  alarm: AlarmView;
}

export interface AlarmsState {
  /** Open alarms (new, acknowledged, on hold), most urgent first. */
  open: AlarmView[];
  /** Recently closed alarms, newest first. */
  closed: AlarmView[];
  loaded: boolean;
  /** Alarm shown in the detail panel. */
  selectedId: string | null;
  /** History of the selected alarm. */
  history: AlarmHistoryEntry[];
  /** False-alarm figures per rule. */
  stats: InvokeOutput<'alarms:rule-stats'>;
  arming: Arming | null;
  /** Last error of an officer action, shown beside the queue (cleared by the next success). */
  actionError: string | null;
  lastChange: AlarmChangeSeen | null;
  /** The alarm that fired last (opened or escalated): the alarm monitor shows it while it is open. */
  firedId: string | null;
  /** Site time zone (IANA) for every time shown; null until loaded (the browser's zone is used meanwhile). */
  timeZone: string | null;
  /** The close dialog (outcome + comment) is open for the selected alarm. */
  closing: boolean;
  settings: AlarmSettings | null;
}

export const initialAlarmsState: AlarmsState = { open: [], closed: [], loaded: false, selectedId: null, history: [], stats: [], arming: null, actionError: null, lastChange: null, firedId: null, timeZone: null, closing: false, settings: null };
