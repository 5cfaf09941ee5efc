import { useState, type FormEvent } from 'react';
import type { LedgerRowView } from '../../../shared/ipc/events.contract';
import { confirmCancelled, errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { usePermission } from '../auth/permission';
import { useActions, useRoot } from '../store/store';
import { amendNotes } from './amend-text';

/** Classes offered when correcting an event's object (any model class name may be typed). */
const CLASS_SUGGESTIONS = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck'];

/** What the panel shows: the buttons, or one of the two forms. */
type Mode = { type: 'idle' } | { type: 'void' } | { type: 'correct' };

/** When an amendment was made (its own line, under who made it). */
function When({ iso, tz }: { iso: string | null; tz: string | null }) {
  return iso ? <span className="muted amend__when">{formatTime(iso, tz)}</span> : null;
}

/**
 * Void or correct one ledger event (Events page side panel). Supervisors get the forms; the guarded API opens
 * the confirmation dialog (password, or a second person where the security policy asks). Officers see the
 * buttons disabled with the reason on hover. Mount with `key={row.id}` so a new selection starts idle.
 */
export function AmendPanel({ row, onAmended }: { row: LedgerRowView; onAmended: (row: LedgerRowView) => void }) {
  const tz = useRoot(selectTimeZone);
  const canVoid = usePermission('events:void').allowed;
  const canCorrect = usePermission('events:correct').allowed;
  const { voidEvent, correctEvent } = useActions();
  const [mode, setMode] = useState<Mode>({ type: 'idle' });
  const [reason, setReason] = useState('');
  const [direction, setDirection] = useState<'in' | 'out' | null>(row.direction);
  const [cls, setCls] = useState(row.cls);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const open = (m: Mode) => {
    setMode(m);
    setReason('');
    setDirection(row.direction);
    setCls(row.cls);
    setError(null);
    setDone(null);
  };
  const changedDirection = row.type === 'line.cross' && direction !== null && direction !== row.direction;
  const changedCls = cls.trim() !== '' && cls.trim() !== row.cls;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next =
        mode.type === 'void'
          ? await voidEvent({ eventId: row.id, reason: reason.trim() })
          : await correctEvent({ eventId: row.id, reason: reason.trim(), ...(changedDirection && direction ? { direction } : {}), ...(changedCls ? { cls: cls.trim() } : {}) });
      setDone(mode.type === 'void' ? t.ledgerAmend.done.void : t.ledgerAmend.done.correct);
      setMode({ type: 'idle' });
      onAmended(next);
    } catch (err) {
      if (!confirmCancelled(err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const { changes } = amendNotes(row);
  /** The button's hover text: why it is disabled, else what it does. */
  const hint = (allowed: boolean, help: string) => (!allowed ? t.ledgerAmend.onlySupervisor : row.voided ? t.ledgerAmend.alreadyVoided : help);
  return (
    <div className="amend" role="group" aria-label={t.ledgerAmend.title} data-testid="amend-panel" data-voided={row.voided ? 'true' : 'false'} data-corrected={row.corrected ? 'true' : 'false'}>
      {row.voided && (
        <p className="amend__note amend__note--void" data-testid="amend-voided">
          <strong>{t.ledgerAmend.voidedHead(row.voidedBy)}</strong>
          <When iso={row.voidedAt} tz={tz} />
          {row.voidReason}
        </p>
      )}
      {row.corrected && (
        <p className="amend__note" data-testid="amend-corrected">
          <strong>{t.ledgerAmend.correctedHead(row.correctedBy)}</strong>
          <When iso={row.correctedAt} tz={tz} />
          {row.correctionReason}
          {changes && (
            <>
              <br />
              <span className="muted">{changes}</span>
            </>
          )}
        </p>
      )}
      {done && (
        <p className="amend__done" role="status" data-testid="amend-done">
          {done}
        </p>
      )}
      {mode.type === 'idle' ? (
        <>
          <div className="amend__actions">
            <button
              type="button"
              className="btn btn--danger-outline"
              disabled={!canVoid || row.voided}
              title={hint(canVoid, t.ledgerAmend.voidHelp)}
              onClick={() => open({ type: 'void' })}
              data-testid="amend-void"
            >
              {t.ledgerAmend.void}
            </button>
            <button
              type="button"
              className="btn"
              disabled={!canCorrect || row.voided}
              title={hint(canCorrect, t.ledgerAmend.correctHelp)}
              onClick={() => open({ type: 'correct' })}
              data-testid="amend-correct"
            >
              {t.ledgerAmend.correct}
            </button>
          </div>
          {!canVoid && !canCorrect && <p className="field__hint" data-testid="amend-not-allowed">{t.ledgerAmend.onlySupervisor}</p>}
        </>
      ) : (
        <form className="form amend__form" onSubmit={(e) => void submit(e)} data-testid={`amend-form-${mode.type}`}>
          <p className="muted">{mode.type === 'void' ? t.ledgerAmend.voidHelp : t.ledgerAmend.correctHelp}</p>
          {mode.type === 'correct' && (
            <div className="form__row">
              {row.type === 'line.cross' && (
                <div className="field">
                  <label htmlFor="amend-direction">{t.ledgerAmend.direction}</label>
                  <select id="amend-direction" value={direction ?? ''} onChange={(e) => setDirection(e.target.value as 'in' | 'out')} data-testid="amend-direction">
                    <option value="in">{t.ledgerAmend.dirIn}</option>
                    <option value="out">{t.ledgerAmend.dirOut}</option>
                  </select>
                </div>
              )}
              <div className="field">
                <label htmlFor="amend-class">{t.ledgerAmend.cls}</label>
                <input id="amend-class" list="amend-class-options" value={cls} onChange={(e) => setCls(e.target.value)} maxLength={64} size={10} data-testid="amend-class" />
                <datalist id="amend-class-options">
                  {CLASS_SUGGESTIONS.map((c) => (
                    <option key={c} value={c} />
                  ))}
                </datalist>
              </div>
            </div>
          )}
          <div className="field">
            <label htmlFor="amend-reason">{t.ledgerAmend.reason}</label>
            <textarea
              id="amend-reason"
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={500}
              placeholder={t.ledgerAmend.reasonPlaceholder}
              required
              autoFocus
              data-testid="amend-reason"
            />
          </div>
          {mode.type === 'correct' && !changedDirection && !changedCls && <p className="field__hint">{t.ledgerAmend.nothingChanged}</p>}
          {error && (
            <p className="form__error" role="alert" data-testid="amend-error">
              {error}
            </p>
          )}
          <div className="form__actions">
            <button
              type="submit"
              className={mode.type === 'void' ? 'btn btn--danger' : 'btn btn--primary'}
              disabled={busy || !reason.trim() || (mode.type === 'correct' && !changedDirection && !changedCls)}
              data-testid="amend-submit"
            >
              {mode.type === 'void' ? t.ledgerAmend.voidSubmit : t.ledgerAmend.correctSubmit}
            </button>
            <button type="button" className="btn" onClick={() => setMode({ type: 'idle' })} disabled={busy} data-testid="amend-cancel">
              {t.ledgerAmend.cancel}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
