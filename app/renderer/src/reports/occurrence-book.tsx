import { useEffect, useState } from 'react';
import { t } from '../i18n/en';
import { formatTime, parseLocalInput } from '../i18n/format-time';
import { selectReports, selectShift } from '../store/reports/reports.selectors';
import { useActions, useRoot } from '../store/store';

/**
 * The occurrence book of a shift: the one running now (entries, a new entry, sign-off at hand-over) or an earlier
 * one (its history, as written). Its reports are exported on the Reports page: `onOpenReport` (supervisors) opens
 * this shift's report there.
 */
export function OccurrenceBook({ onOpenReport }: { onOpenReport?: (shift: { from: number; to: number }) => void }) {
  const shift = useRoot(selectShift);
  const { shiftError, shiftBusy, shiftAt } = useRoot(selectReports);
  const { loadShift, addEntry, signOffShift } = useActions();
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [goTo, setGoTo] = useState('');
  useEffect(() => void loadShift(), [loadShift]);
  if (!shift) return <p className="muted">{shiftError ?? t.reports.loading}</p>;
  const time = (ms: number) => formatTime(ms, shift.timeZone, 'minute');
  const current = shiftAt === null;
  const goToAt = goTo ? parseLocalInput(goTo, shift.timeZone) : null;
  return (
    <div className="book" data-testid="occurrence-book" data-shift-from={shift.from} data-shift-to={shift.to} data-current={current}>
      <div className="toolbar book__nav" data-testid="book-nav">
        <button type="button" className="btn" disabled={shiftBusy} onClick={() => void loadShift(shift.from - 1)} data-testid="book-earlier">
          {t.reports.shiftPrevious}
        </button>
        <button type="button" className="btn" disabled={shiftBusy || current} onClick={() => void loadShift(shift.to)} data-testid="book-later">
          {t.reports.shiftNext}
        </button>
        <button type="button" className="btn" disabled={shiftBusy || current} onClick={() => void loadShift(null)} data-testid="book-current">
          {t.reports.shiftCurrent}
        </button>
        <form
          className="book__goto"
          onSubmit={(e) => {
            e.preventDefault();
            if (goToAt !== null) void loadShift(goToAt);
          }}
        >
          <label className="field field--inline">
            <span>{t.reports.shiftGoTo}</span>
            <input type="datetime-local" value={goTo} onChange={(e) => setGoTo(e.target.value)} data-testid="book-goto" />
          </label>
          <button type="submit" className="btn" disabled={shiftBusy || goToAt === null} data-testid="book-goto-show">
            {t.reports.shiftGo}
          </button>
        </form>
      </div>
      <p className="book__shift">
        <strong data-testid="book-shift-label">{current ? t.reports.shiftNow(shift.label) : t.reports.shiftEarlier(shift.label)}</strong>
        {onOpenReport && (
          <>
            {' '}
            <button type="button" className="btn btn--small" onClick={() => onOpenReport(shift)} data-testid="book-open-report">
              {t.reports.openShiftReport}
            </button>
          </>
        )}
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
      {!current && <p className="muted small">{t.reports.pastShiftNoEntries}</p>}
      {current && !shift.signoff && (
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
      </div>
    </div>
  );
}
