import { useEffect, useState } from 'react';
import type { ReportSchedule } from '../../../shared/domain/reports';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectReports } from '../store/reports/reports.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';

type Draft = Omit<ReportSchedule, 'id' | 'lastRunAt'>;
const EMPTY: Draft = { type: 'daily', format: 'pdf', time: '19:00', weekday: null, folder: '' };

/** Scheduled reports: list, add (into one of the report folders; confirmed like an export), remove. */
export function SchedulesView() {
  const { schedules, schedulesError, folders } = useRoot(selectReports);
  const tz = useRoot(selectTimeZone);
  const { loadSchedules, saveSchedule, removeSchedule, loadReportFolders } = useActions();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  useEffect(() => void loadSchedules(), [loadSchedules]);
  useEffect(() => void loadReportFolders(), [loadReportFolders]);
  const folder = draft.folder || folders?.defaultFolder || '';
  const set = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));
  return (
    <div data-testid="schedules">
      <p className="muted">{t.reports.missedRuns}</p>
      {schedulesError && (
        <p className="form__error" role="alert">
          {schedulesError}
        </p>
      )}
      {schedules.length === 0 ? (
        <p className="empty">{t.reports.schedulesEmpty}</p>
      ) : (
        <table className="table">
          <tbody>
            {schedules.map((s) => (
              <tr key={s.id} data-testid="schedule-row">
                <td>{t.reports.scheduleTypes[s.type]}</td>
                <td>
                  {s.type === 'weekly' && s.weekday ? `${t.reports.weekdays[s.weekday - 1]} ` : ''}
                  {s.time}
                </td>
                <td>{s.format.toUpperCase()}</td>
                <td className="mono small wrap">{s.folder}</td>
                <td className="muted small">{t.reports.scheduleLast(s.lastRunAt ? formatTime(s.lastRunAt, tz) : null)}</td>
                <td>
                  <button type="button" className="btn btn--danger-outline" onClick={() => void removeSchedule(s.id)}>
                    {t.reports.scheduleRemove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          void saveSchedule({ ...draft, folder }).then((ok) => ok && setDraft(EMPTY));
        }}
      >
        <div className="form__row">
          <div className="field">
            <label htmlFor="sch-type">{t.reports.scheduleType}</label>
            <select id="sch-type" value={draft.type} onChange={(e) => set({ type: e.target.value as Draft['type'], weekday: e.target.value === 'weekly' ? 1 : null })}>
              {Object.entries(t.reports.scheduleTypes).map(([k, v]) => (
                <option key={k} value={k}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          {draft.type === 'weekly' && (
            <div className="field">
              <label htmlFor="sch-day">{t.reports.scheduleWeekday}</label>
              <select id="sch-day" value={draft.weekday ?? 1} onChange={(e) => set({ weekday: Number(e.target.value) })}>
                {t.reports.weekdays.map((d, i) => (
                  <option key={d} value={i + 1}>
                    {d}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="sch-time">{t.reports.scheduleTime}</label>
            <input id="sch-time" type="time" value={draft.time} onChange={(e) => set({ time: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="sch-format">{t.reports.scheduleFormat}</label>
            <select id="sch-format" value={draft.format} onChange={(e) => set({ format: e.target.value as Draft['format'] })}>
              <option value="pdf">PDF</option>
              <option value="csv">CSV</option>
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="sch-folder">{t.reports.scheduleFolder}</label>
          <select id="sch-folder" value={folder} onChange={(e) => set({ folder: e.target.value })}>
            {folders && <option value={folders.defaultFolder}>{t.reports.defaultFolder(folders.defaultFolder)}</option>}
            {folders?.folders.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={!folder}>
            {t.reports.scheduleAdd}
          </button>
        </div>
      </form>
    </div>
  );
}
