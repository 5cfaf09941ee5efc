import { DateTime } from 'luxon';
import { useEffect, useState } from 'react';
import type { ReportRequest, ReportType } from '../../../shared/domain/reports';
import { t } from '../i18n/en';
import { usePermission } from '../auth/permission';
import { selectReports } from '../store/reports/reports.selectors';
import { useActions, useRoot } from '../store/store';
import { DashboardView } from './dashboard-view';
import { ExportBar } from './export-bar';
import { OccurrenceBook } from './occurrence-book';
import { SchedulesView } from './schedules-view';
import { withDefaultDates } from './report-defaults';
import { selectTimeZone } from '../store/alarms/alarms.selectors';

type Tab = 'dashboard' | 'book' | 'schedules';
const TYPES: ReportType[] = ['daily', 'weekly', 'monthly', 'custom', 'shift'];

/** Reports: the dashboard of any period (a shift too) with its exports, the occurrence book of any shift, scheduled reports. */
export function ReportsPage() {
  // Officers keep the occurrence book; the dashboard, exports and schedules are for supervisors and admins.
  const canReport = usePermission('reports:build').allowed;
  const tabs: readonly Tab[] = canReport ? ['dashboard', 'book', 'schedules'] : ['book'];
  const [chosen, setTab] = useState<Tab>('dashboard');
  const tab: Tab = tabs.includes(chosen) ? chosen : 'book';
  const { request, model, loading, error } = useRoot(selectReports);
  const { loadReport } = useActions();
  const tz = useRoot(selectTimeZone);
  // The form opens with its dates filled ("Daily" on today), never an empty date field.
  const [draft, setDraft] = useState<ReportRequest>(() => withDefaultDates(request, Date.now(), tz));
  // Loads the last request's report (dates filled the same way) when the page is first shown.
  const [initial] = useState(() => ({ request: draft, load: canReport && !model && !loading }));
  useEffect(() => {
    if (initial.load) void loadReport(initial.request);
  }, [initial, loadReport]);
  const submit = () => void loadReport({ ...draft, from: draft.from || undefined, to: draft.to || undefined });
  // The occurrence book's "Report of this shift": the dashboard of that shift, where its exports are.
  const openShiftReport = (shift: { from: number; to: number }) => {
    const local = (ms: number) => DateTime.fromMillis(ms, tz ? { zone: tz } : {}).toFormat("yyyy-MM-dd'T'HH:mm");
    const req: ReportRequest = { type: 'shift', from: local(shift.from), to: local(shift.to) };
    setDraft(req);
    setTab('dashboard');
    void loadReport(req);
  };
  return (
    <section className="page" aria-labelledby="reports-title" data-testid="reports-page">
      <div className="toolbar">
        <h1 id="reports-title" className="page__title">
          {t.reports.title}
        </h1>
        <div className="tabs" role="tablist">
          {tabs.map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} className={`tab${tab === k ? ' tab--active' : ''}`} onClick={() => setTab(k)} data-testid={`reports-tab-${k}`}>
              {k === 'dashboard' ? t.reports.tabDashboard : k === 'book' ? t.reports.tabBook : t.reports.tabSchedules}
            </button>
          ))}
        </div>
      </div>
      {tab === 'dashboard' && (
        <>
          <form
            className="report-controls"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <label className="field field--inline">
              <span>{t.reports.type}</span>
              <select value={draft.type} onChange={(e) => setDraft(withDefaultDates({ type: e.target.value as ReportType }, Date.now(), tz))} data-testid="report-type">
                {TYPES.map((k) => (
                  <option key={k} value={k}>
                    {t.reports.types[k]}
                  </option>
                ))}
              </select>
            </label>
            <label className="field field--inline">
              <span>{draft.type === 'custom' ? t.reports.from : draft.type === 'shift' ? t.reports.shiftGoTo : t.reports.day}</span>
              <input type={draft.type === 'shift' ? 'datetime-local' : 'date'} value={draft.from ?? ''} onChange={(e) => setDraft({ ...draft, from: e.target.value, to: undefined })} data-testid="report-from" />
            </label>
            {draft.type === 'custom' && (
              <label className="field field--inline">
                <span>{t.reports.to}</span>
                <input type="date" value={draft.to ?? ''} onChange={(e) => setDraft({ ...draft, to: e.target.value })} data-testid="report-to" />
              </label>
            )}
            <button type="submit" className="btn btn--primary" disabled={loading} data-testid="report-show">
              {t.reports.show}
            </button>
          </form>
          {error && (
            <p className="form__error" role="alert" data-testid="report-error">
              {error}
            </p>
          )}
          {loading && <p className="muted">{t.reports.loading}</p>}
          {model && (
            <>
              <div className="report-head">
                <div>
                  <h2 className="report-head__title" data-testid="report-title">
                    {model.title} · {model.site}
                  </h2>
                  <p className="muted small" data-testid="report-period">
                    {t.reports.period(model.period.label, model.period.timeZone)}
                  </p>
                </div>
                <ExportBar />
              </div>
              <DashboardView model={model} />
            </>
          )}
        </>
      )}
      {tab === 'book' && <OccurrenceBook onOpenReport={canReport ? openShiftReport : undefined} />}
      {tab === 'schedules' && <SchedulesView />}
    </section>
  );
}
