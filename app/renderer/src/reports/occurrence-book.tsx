import { useEffect, useState } from 'react';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { usePermission } from '../auth/permission';
import { selectReports, selectShift } from '../store/reports/reports.selectors';
import { useActions, useRoot } from '../store/store';


/** The current shift's occurrence book: entries, a new entry, sign-off at hand-over and the shift report. */
export function OccurrenceBook() {
  const shift = useRoot(selectShift);
  const { shiftError, shiftBusy } = useRoot(selectReports);
  const { loadShift, addEntry, signOffShift, exportReport } = useActions();
  const canExport = usePermission('reports:export').allowed;
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => void loadShift(), [loadShift]);
  if (!shift) return <p className="muted">{shiftError ?? t.reports.loading}</p>;
  const time = (ms: number) => formatTime(ms, shift.timeZone, 'minute');
  return (
    <div className="book" data-testid="occurrence-book" data-shift-from={shift.from} data-shift-to={shift.to}>
      <p className="book__shift">
        <strong>{t.reports.shiftNow(shift.label)}</strong>
      </p>
      {shiftError && (
        <p className="form__error" role="alert">
          {shiftError}
        </p>
      )}
      {shift.entries.length === 0 ? (
        <p className="empty">{t.reports.noEntries}</p>
      ) : (
        <table className="table" data-testid="book-entries">
          <thead>
            <tr>
              <th scope="col">{t.reports.colTime}</th>
              <th scope="col">{t.reports.colOfficer}</th>
              <th scope="col">{t.reports.colEntry}</th>
            </tr>
          </thead>
          <tbody>
            {shift.entries.map((e) => (
              <tr key={e.id} data-testid="book-entry">
                <td className="mono">{time(e.at)}</td>
                <td>{e.by}</td>
                <td className="wrap">{e.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!shift.signoff && (
        <form
          className="card form book__form"
          onSubmit={(ev) => {
            ev.preventDefault();
            void addEntry(text).then((ok) => ok && setText(''));
          }}
        >
          <div className="field">
            <label htmlFor="book-text">{t.reports.entryLabel}</label>
            <textarea id="book-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} maxLength={4000} data-testid="book-text" />
            <p className="field__hint">{t.reports.entryHint}</p>
          </div>
          <div className="form__actions">
            <button type="submit" className="btn btn--primary" disabled={shiftBusy || !text.trim()} data-testid="book-add">
              {t.reports.addEntry}
            </button>
          </div>
        </form>
      )}
      <div className="card form">
        {shift.signoff ? (
          <p className="banner banner--ok" data-testid="signed-off">
            {t.reports.signedOff(shift.signoff.by, formatTime(shift.signoff.at, shift.timeZone))}
            {shift.signoff.note ? ` — ${shift.signoff.note}` : ''}
          </p>
        ) : (
          <>
            <div className="field">
              <label htmlFor="book-note">{t.reports.signOffNote}</label>
              <input id="book-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} data-testid="signoff-note" />
            </div>
            <div className="form__actions">
              <button type="button" className="btn btn--primary" disabled={shiftBusy} onClick={() => void signOffShift(note)} data-testid="signoff">
                {t.reports.signOff}
              </button>
            </div>
          </>
        )}
        {canExport && <div className="form__actions">
          <button type="button" className="btn" onClick={() => void exportReport('pdf', 'report', { type: 'shift', from: new Date(shift.from).toISOString(), to: new Date(shift.to).toISOString() })} data-testid="shift-pdf">
            {t.reports.shiftPdf}
          </button>
        </div>}
      </div>
    </div>
  );
}
