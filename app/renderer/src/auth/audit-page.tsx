import { useEffect, useMemo, useState } from 'react';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectAuth, selectCan } from '../store/auth/auth.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { useActions, useRoot } from '../store/store';
import { auditAreaFilters, auditCsv, auditLine, auditMatches } from './audit-text';
import { downloadText as download } from '../shell/download-text';

/** The "What" filter: action prefixes the host filters on ('' = everything), one per area of the contracts. */
const AREAS = auditAreaFilters();

/** Supervisor: the audit trail, newest first, and a check of its hash chain ("intact" or the first broken row). */
export function AuditPage() {
  const { audit, auditError, verify, users } = useRoot(selectAuth);
  const tz = useRoot(selectTimeZone);
  const { loadAudit, verifyAudit, loadUsers } = useActions();
  // Admins may list the accounts: their rows then name users instead of ids.
  const canListUsers = useRoot(selectCan('users:list'));
  useEffect(() => {
    if (canListUsers) void loadUsers();
  }, [canListUsers, loadUsers]);
  const cameras = useRoot(selectCameras);
  const [area, setArea] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    void loadAudit(false, area);
  }, [loadAudit, area]);
  useEffect(() => {
    void verifyAudit();
  }, [verifyAudit]);
  // Plain words: channel titles, camera names instead of ids, details read out instead of raw JSON.
  const lines = useMemo(() => {
    const names = { camera: (id: string) => cameras.find((c) => c.id === id)?.name, user: (id: string) => users?.find((u) => u.id === id)?.name };
    return (audit ?? []).map((r) => auditLine(r, names, (iso) => formatTime(iso, tz)));
  }, [audit, cameras, users, tz]);
  const shown = useMemo(() => lines.filter((l) => auditMatches(l, search)), [lines, search]);
  return (
    <section className="page" aria-labelledby="audit-title" data-testid="audit-page">
      <div className="toolbar">
        <h1 id="audit-title" className="page__title">{t.auth.audit.title}</h1>
        <button className="btn" onClick={() => void verifyAudit()} data-testid="audit-verify">
          {t.auth.audit.verify}
        </button>
      </div>
      <div className="filters" role="search">
        <label className="field">
          <span>{t.auth.audit.filterWhat}</span>
          <select value={area} onChange={(e) => setArea(e.target.value)} data-testid="audit-filter">
            {AREAS.map((a) => (
              <option key={a.prefix} value={a.prefix}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.auth.audit.search}</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t.auth.audit.searchHint} data-testid="audit-search" />
        </label>
        <button type="button" className="btn" disabled={shown.length === 0} onClick={() => download(`audit-trail-${new Date().toISOString().slice(0, 10)}.csv`, auditCsv(shown), 'text/csv;charset=utf-8')} data-testid="audit-csv">
          {t.auth.audit.exportCsv(shown.length)}
        </button>
      </div>
      {verify && (
        <p className={`banner ${verify.state === 'intact' ? 'banner--ok' : 'banner--bad'}`} role="status" data-testid="audit-verdict" data-state={verify.state} data-broken-id={verify.state === 'broken' ? verify.brokenId : undefined}>
          {verify.state === 'intact' ? t.auth.audit.intact(verify.rows) : t.auth.audit.broken(verify.brokenId, verify.message)}
        </p>
      )}
      {auditError && (
        <p className="banner banner--bad" role="alert">
          {auditError}
        </p>
      )}
      {audit && shown.length === 0 && <p className="empty">{audit.length === 0 ? t.auth.audit.empty : t.auth.audit.noMatch}</p>}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="audit-table">
            <thead>
              <tr>
                <th scope="col">{t.auth.audit.colId}</th>
                <th scope="col">{t.auth.audit.colAt}</th>
                <th scope="col">{t.auth.audit.colActor}</th>
                <th scope="col">{t.auth.audit.colAction}</th>
                <th scope="col">{t.auth.audit.colTarget}</th>
                <th scope="col">{t.auth.audit.colDetail}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.id} data-testid="audit-row" data-action={r.action}>
                  <td className="mono">{r.id}</td>
                  <td className="muted nowrap">{r.at}</td>
                  <td>
                    {r.who}
                    {r.role && <span className="muted small"> {t.auth.roles[r.role] ?? r.role}</span>}
                  </td>
                  <td title={r.action}>{r.what}</td>
                  <td className="small">{r.on}</td>
                  <td className="small wrap">{r.detail.length > 200 ? `${r.detail.slice(0, 200)}…` : r.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {audit && audit.length > 0 && audit.at(-1)!.id > 1 && (
        <button className="btn" onClick={() => void loadAudit(true)} data-testid="audit-more">
          {t.auth.audit.more}
        </button>
      )}
    </section>
  );
}
