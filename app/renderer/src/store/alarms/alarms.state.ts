import type { AlarmAction, AlarmHistoryEntry, AlarmView, FloodState, Shelf } from '../../../../shared/domain/alarms';
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
  /** Active shelves (rules silenced for a while), soonest restored first. */
  shelves: Shelf[];
  /** The site flood state; null until loaded. */
  flood: FloodState | null;
  /** Open alarms ticked for a bulk acknowledge or close. */
  checked: string[];
  /** The close dialog is open for the ticked alarms. */
  bulkClosing: boolean;
  /** What the last bulk action did ("5 alarms acknowledged"). */
  bulkNote: string | null;
  /** During a flood, lower-priority alarms (P3–P5) are folded away until the officer shows them. */
  showLower: boolean;
}

export const initialAlarmsState: AlarmsState = { open: [], closed: [], loaded: false, selectedId: null, history: [], stats: [], arming: null, actionError: null, lastChange: null, firedId: null, timeZone: null, closing: false, settings: null, shelves: [], flood: null, checked: [], bulkClosing: false, bulkNote: null, showLower: false };
