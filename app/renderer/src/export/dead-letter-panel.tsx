import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectExport } from '../store/export/export.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';

/** Events a sink rejected as invalid, with the sink's reason; the admin retries them once the cause is fixed. */
export function DeadLetterPanel() {
  const ex = useRoot(selectExport);
  const tz = useRoot(selectTimeZone);
  const { retryDeadLetters, showDeadLetters } = useActions();
  const dl = ex.deadLetters;
  if (!dl) return null;
  const sink = ex.sinks?.find((s) => s.id === dl.sinkId);
  return (
    <div className="card" style={{ maxWidth: 'none', marginTop: 16 }} data-testid="dead-letters">
      <div className="toolbar">
        <h2 className="page__title">{t.exportPage.deadTitle(sink?.name ?? dl.sinkId)}</h2>
        <span className="toolbar__group">
          <button className="btn btn--primary" disabled={dl.rows.length === 0} onClick={() => void retryDeadLetters(dl.sinkId)}>
            {t.exportPage.deadRetryAll}
          </button>
          <button className="btn" onClick={() => void showDeadLetters(null)}>
            {t.exportPage.deadClose}
          </button>
        </span>
      </div>
      {dl.rows.length === 0 ? (
        <p className="muted">{t.exportPage.deadEmpty}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t.exportPage.colEvent}</th>
                <th scope="col">{t.exportPage.colType}</th>
                <th scope="col">{t.exportPage.colCamera}</th>
                <th scope="col">{t.exportPage.colAt}</th>
                <th scope="col">{t.exportPage.colReason}</th>
                <th scope="col" className="num">{t.exportPage.colAttempts}</th>
              </tr>
            </thead>
            <tbody>
              {dl.rows.map((r) => (
                <tr key={r.eventId} data-testid="dead-letter-row">
                  <td className="mono small">{r.eventId}</td>
                  <td>{r.type}</td>
                  <td>{r.cameraId ?? '—'}</td>
                  <td>{formatTime(r.at, tz)}</td>
                  <td className="wrap">{r.reason}</td>
                  <td className="num">{r.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
