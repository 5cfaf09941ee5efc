import type { AlarmOutcome, AlarmView } from '../../../../shared/domain/alarms';
import type { FaceMatchView } from '../../../../shared/domain/faces';
import type { ScheduleWindow } from '../../../../shared/domain/rules';
import { errorMessage } from '../../api/api-error';
import { t } from '../../i18n/en';
import type { StoreDeps } from '../store-deps';
import * as r from './alarms.reducers';

export interface AlarmsActions {
  /** Loads the queue, recent closed alarms, rule statistics, arming and the site time zone. */
  loadAlarms(): Promise<void>;
  /** Shows an alarm's detail and history (null closes it). */
  selectAlarm(id: string | null): Promise<void>;
  /** Selects the next alarm of the queue (keyboard: N). */
  nextAlarm(): Promise<void>;
  /** Officer actions; resolve true on success, false when refused (the message is in actionError). */
  acknowledgeAlarm(id: string): Promise<boolean>;
  holdAlarm(id: string, comment?: string): Promise<boolean>;
  resumeAlarm(id: string): Promise<boolean>;
  closeAlarm(id: string, outcome: AlarmOutcome | null, comment?: string): Promise<boolean>;
  /** Arms (or re-arms) a rule; `schedule` weekly windows, none = always; `maxPerHour` its rate limit (none = no limit). */
  armRule(cameraId: string, ruleId: string, priority: number, schedule?: ScheduleWindow[], maxPerHour?: number): Promise<boolean>;
  /** Ticks or unticks an open alarm for a bulk action; `checkAlarms` ticks exactly these (empty: none). */
  checkAlarm(id: string, on: boolean): void;
  checkAlarms(ids: readonly string[]): void;
  /** Acknowledges every ticked alarm, one call (and one audit row) each; resolves with how many it did. */
  acknowledgeChecked(): Promise<number>;
  /** Closes every ticked alarm with one outcome and comment, one call (and one audit row) each. */
  closeChecked(outcome: AlarmOutcome | null, comment?: string): Promise<number>;
  setBulkClosing(open: boolean): void;
  /** Shelves an armed rule of a camera for `minutes` with a reason. */
  shelveRule(cameraId: string, ruleId: string, minutes: number, reason: string): Promise<boolean>;
  unshelveRule(cameraId: string, ruleId: string): Promise<boolean>;
  /** During a flood: show or fold away the lower-priority alarms. */
  setShowLower(show: boolean): void;
  disarmRule(cameraId: string, ruleId: string): Promise<boolean>;
  setAlarmSwitch(cameraId: string | null, armed: boolean): Promise<boolean>;
  /** The snapshot JPEG of an alarm or event as a data URL (null when gone). */
  loadSnapshot(ref: string): Promise<string | null>;
  /** A watchlist match with both faces (audited by the engine); rejects with the engine's message. */
  loadFaceMatch(matchId: string): Promise<FaceMatchView>;
  /** The officer's confirm / reject of a watchlist match (audited); rejects with the engine's message. */
  decideFaceMatch(matchId: string, outcome: 'confirmed' | 'rejected'): Promise<FaceMatchView>;
  /** Supervisor setting: seconds before an unacknowledged alarm escalates. */
  setEscalateAfter(seconds: number): Promise<boolean>;
  /** Opens or closes the close dialog of the selected alarm. */
  setClosing(open: boolean): void;
  /** Opens the alarm monitor in a second window (#/monitor). */
  openAlarmMonitor(): void;
}

export function createAlarmsActions({ api, set, get }: StoreDeps): AlarmsActions {
  const refused = (e: unknown) => {
    set((s) => ({ alarms: { ...s.alarms, actionError: errorMessage(e) } }));
    return false;
  };
  const done = (alarm: AlarmView) => {
    set((s) => ({ alarms: { ...r.alarmUpdated(s.alarms, alarm), actionError: null, closing: alarm.status === 'closed' ? false : s.alarms.closing } }));
    return true;
  };
  const loadStats = async () => {
    const stats = await api.invoke('alarms:rule-stats', {});
    set((s) => ({ alarms: { ...s.alarms, stats } }));
  };
  const loadHistory = async (id: string) => {
    const v = await api.invoke('alarms:get', { id });
    if (get().alarms.selectedId === id) set((s) => ({ alarms: { ...r.alarmUpdated(s.alarms, v.alarm), history: v.history } }));
  };
  const act = async (fn: () => Promise<AlarmView>) => {
    try {
      const alarm = await fn();
      done(alarm);
      if (get().alarms.selectedId === alarm.id) void loadHistory(alarm.id).catch(() => undefined);
      if (alarm.status === 'closed') void loadStats().catch(() => undefined);
      return true;
    } catch (e) {
      return refused(e);
    }
  };
  const arming = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      set((s) => ({ alarms: { ...s.alarms, actionError: null } }));
      const a = await api.invoke('alarms:arming', {});
      set((s) => ({ alarms: { ...s.alarms, arming: a } }));
      return true;
    } catch (e) {
      return refused(e);
    }
  };
  /**
   * One call per ticked alarm (so the audit trail has one row per alarm, and one refusal does not stop the rest):
   * a closed alarm or one whose state does not allow the action is skipped and counted.
   */
  const bulk = async (what: 'acknowledge' | 'close', call: (id: string) => Promise<AlarmView>, verb: string) => {
    const ids = get().alarms.checked.filter((id) => {
      const a = get().alarms.open.find((x) => x.id === id);
      return a && (what === 'acknowledge' ? a.status === 'new' : a.status !== 'new');
    });
    const skipped = get().alarms.checked.length - ids.length;
    let doneCount = 0;
    let lastError: string | null = null;
    for (const id of ids) {
      try {
        done(await call(id));
        doneCount++;
      } catch (e) {
        lastError = errorMessage(e);
        if (what === 'close' && !doneCount) break; // the same refusal (e.g. no outcome) would repeat for every alarm
      }
    }
    set((s) => ({
      alarms: {
        ...s.alarms,
        checked: s.alarms.checked.filter((id) => s.alarms.open.some((a) => a.id === id)),
        bulkClosing: what === 'close' && !doneCount ? s.alarms.bulkClosing : false,
        bulkNote: doneCount ? t.alarms.bulkDone(doneCount, verb, skipped + (ids.length - doneCount)) : null,
        actionError: doneCount ? null : lastError,
      },
    }));
    if (doneCount && what === 'close') void loadStats().catch(() => undefined);
    return doneCount;
  };
  const selectAlarm = async (id: string | null) => {
    set((s) => ({ alarms: { ...s.alarms, selectedId: id, history: [], closing: false } }));
    if (id) await loadHistory(id).catch((e: unknown) => refused(e));
  };
  return {
    async loadAlarms() {
      // The flood state first and on its own: a viewer's top bar shows it, though the queue is for officers.
      void api
        .invoke('alarms:flood', {})
        .then((flood) => set((s) => ({ alarms: { ...s.alarms, flood } })))
        .catch(() => undefined);
      try {
        const [open, closed, stats, arm, site, settings, shelves] = await Promise.all([
          api.invoke('alarms:list', { status: 'open' }),
          api.invoke('alarms:list', { status: 'closed', limit: 50 }),
          api.invoke('alarms:rule-stats', {}),
          api.invoke('alarms:arming', {}),
          api.invoke('site:settings-get', {}),
          api.invoke('alarms:settings-get', {}),
          api.invoke('alarms:shelves', {}),
        ]);
        set((s) => ({ alarms: { ...r.listsReceived(s.alarms, open, closed), stats, arming: arm, timeZone: site.timeZone, settings, shelves } }));
      } catch (e) {
        refused(e);
      }
    },
    selectAlarm,
    nextAlarm: () => selectAlarm(r.nextAlarmId(get().alarms.open, get().alarms.selectedId)),
    acknowledgeAlarm: (id) => act(() => api.invoke('alarms:acknowledge', { id })),
    holdAlarm: (id, comment) => act(() => api.invoke('alarms:hold', { id, ...(comment ? { comment } : {}) })),
    resumeAlarm: (id) => act(() => api.invoke('alarms:resume', { id })),
    closeAlarm: (id, outcome, comment) =>
      // An empty outcome still goes to the host, which answers with the officer-readable refusal.
      act(() => api.invoke('alarms:close', { id, outcome: outcome as AlarmOutcome, ...(comment ? { comment } : {}) })),
    armRule: (cameraId, ruleId, priority, schedule, maxPerHour) =>
      arming(() => api.invoke('alarms:arm', { cameraId, ruleId, priority, ...(schedule?.length ? { schedule } : {}), ...(maxPerHour !== undefined ? { maxPerHour } : {}) })),
    checkAlarm: (id, on) => set((s) => ({ alarms: r.checkToggled(s.alarms, id, on) })),
    checkAlarms: (ids) => set((s) => ({ alarms: { ...s.alarms, checked: ids.filter((id) => s.alarms.open.some((a) => a.id === id)), bulkNote: null } })),
    acknowledgeChecked: () => bulk('acknowledge', (id) => api.invoke('alarms:acknowledge', { id }), t.alarms.verbAcknowledged),
    closeChecked: (outcome, comment) =>
      bulk('close', (id) => api.invoke('alarms:close', { id, outcome: outcome as AlarmOutcome, ...(comment ? { comment } : {}) }), t.alarms.verbClosed),
    setBulkClosing: (open) => set((s) => ({ alarms: { ...s.alarms, bulkClosing: open && s.alarms.checked.length > 0, actionError: open ? s.alarms.actionError : null } })),
    async shelveRule(cameraId, ruleId, minutes, reason) {
      try {
        await api.invoke('alarms:shelve', { cameraId, ruleId, minutes, reason });
        const shelves = await api.invoke('alarms:shelves', {});
        set((s) => ({ alarms: { ...s.alarms, shelves, actionError: null } }));
        return true;
      } catch (e) {
        return refused(e);
      }
    },
    async unshelveRule(cameraId, ruleId) {
      try {
        await api.invoke('alarms:unshelve', { cameraId, ruleId });
        const shelves = await api.invoke('alarms:shelves', {});
        set((s) => ({ alarms: { ...s.alarms, shelves, actionError: null } }));
        return true;
      } catch (e) {
        return refused(e);
      }
    },
    setShowLower: (show) => set((s) => ({ alarms: { ...s.alarms, showLower: show } })),
    disarmRule: (cameraId, ruleId) => arming(() => api.invoke('alarms:disarm', { cameraId, ruleId })),
    setAlarmSwitch: (cameraId, armed) => arming(() => api.invoke('alarms:set-switch', { cameraId, armed })),
    async loadSnapshot(ref) {
      const v = await api.invoke('alarms:snapshot', { ref });
      return v.jpegBase64 ? `data:image/jpeg;base64,${v.jpegBase64}` : null;
    },
    loadFaceMatch: (id) => api.invoke('faces:match-get', { id }),
    decideFaceMatch: (id, outcome) => api.invoke('faces:match-decide', { id, outcome }),
    async setEscalateAfter(seconds) {
      try {
        const settings = await api.invoke('alarms:settings-set', { escalateAfterS: seconds });
        set((s) => ({ alarms: { ...s.alarms, settings, actionError: null } }));
        return true;
      } catch (e) {
        return refused(e);
      }
    },
    setClosing: (open) => set((s) => ({ alarms: { ...s.alarms, closing: open && s.alarms.selectedId !== null, actionError: open ? s.alarms.actionError : null } })),
    openAlarmMonitor() {
      const url = `${window.location.pathname}${window.location.search}#/monitor`;
      window.open(url, 'watchroom-alarm-monitor', 'popup,width=1280,height=800');
    },
  };
}
