import { useEffect } from 'react';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectAuth } from '../store/auth/auth.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';

const detailText = (d: unknown): string => {
  if (d === null || d === undefined) return '';
  const s = JSON.stringify(d);
  return s === '{}' ? '' : s.length > 160 ? `${s.slice(0, 160)}…` : s;
};

/** Supervisor: the audit trail, newest first, and a check of its hash chain ("intact" or the first broken row). */
export function AuditPage() {
  const { audit, auditError, verify } = useRoot(selectAuth);
  const tz = useRoot(selectTimeZone);
  const { loadAudit, verifyAudit } = useActions();
  useEffect(() => {
    void loadAudit();
    void verifyAudit();
  }, [loadAudit, verifyAudit]);
  return (
    <section className="page" aria-labelledby="audit-title" data-testid="audit-page">
      <div className="toolbar">
        <h1 id="audit-title" className="page__title">{t.auth.audit.title}</h1>
        <button className="btn" onClick={() => void verifyAudit()} data-testid="audit-verify">
          {t.auth.audit.verify}
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
      {audit && audit.length === 0 && <p className="empty">{t.auth.audit.empty}</p>}
      {audit && audit.length > 0 && (
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
              {audit.map((r) => (
                <tr key={r.id} data-testid="audit-row" data-action={r.action}>
                  <td className="mono">{r.id}</td>
                  <td className="muted nowrap">{formatTime(r.at, tz)}</td>
                  <td>
                    {r.actor}
                    {r.role && <span className="muted small"> {r.role}</span>}
                  </td>
                  <td className="mono">{r.action}</td>
                  <td className="mono small">{r.target ?? ''}</td>
                  <td className="mono small wrap">{detailText(r.detail)}</td>
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
