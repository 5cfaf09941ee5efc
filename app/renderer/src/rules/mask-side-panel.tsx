import { useState, type Dispatch } from 'react';
import { MAX_LIFT_MINUTES } from '../../../shared/domain/privacy-mask';
import type { MaskLift } from '../../../shared/domain/privacy-mask';
import type { RulePatch } from './rule-draft';
import { errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useRoot } from '../store/store';
import type { MaskZone } from './mask-draft';
import type { EditorEvent } from './rule-editor.reducer';


/** The mask list; clicking an entry selects the mask. */
export function MaskList({ masks, lifts, selectedId, dispatch }: { masks: readonly MaskZone[]; lifts: readonly MaskLift[]; selectedId: string | null; dispatch: Dispatch<EditorEvent> }) {
  const tz = useRoot(selectTimeZone);
  return (
    <section className="side-card" aria-labelledby="mask-list-title">
      <h2 id="mask-list-title">{t.privacy.list}</h2>
      {masks.length === 0 ? (
        <p className="muted small">{t.privacy.none}</p>
      ) : (
        <ul className="rule-list" data-testid="mask-list">
          {masks.map((m) => {
            const lift = lifts.find((l) => l.maskId === m.id);
            return (
              <li key={m.id}>
                <button type="button" className={`rule-list__item${m.id === selectedId ? ' rule-list__item--selected' : ''}`} data-testid="mask-item" data-mask-id={m.id} data-lifted={!!lift} aria-pressed={m.id === selectedId} onClick={() => dispatch({ type: 'select', ruleId: m.id })}>
                  <span className={`mask-swatch mask-swatch--${m.style}`} aria-hidden="true" />
                  <span>{m.name || m.id}</span>
                  <span className="rule-list__count">{lift ? t.privacy.liftedShort(formatTime(lift.until, tz, 'minute')) : m.style === 'solid' ? t.privacy.solid : t.privacy.blur}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export interface MaskPropertiesProps {
  mask: MaskZone;
  /** The lift in force on this mask, if any. */
  lift: MaskLift | null;
  /** Whether this mask is saved as shown (lifting needs a saved mask). */
  saved: boolean;
  dispatch: Dispatch<EditorEvent>;
  onLift: (maskId: string, minutes: number, reason: string) => Promise<unknown>;
  onRestore: (maskId: string) => Promise<unknown>;
}

/** Properties of the selected mask: name, look, detections inside, delete; lift for a time or restore. */
export function MaskProperties({ mask, lift, saved, dispatch, onLift, onRestore }: MaskPropertiesProps) {
  // Mask fields ride on the zone the editor holds (mask-draft.ts); the reducer merges any patch into it.
  const tz = useRoot(selectTimeZone);
  const patch = (p: Partial<Pick<MaskZone, 'name' | 'style' | 'detections'>>) => dispatch({ type: 'update-rule', ruleId: mask.id, patch: p as RulePatch });
  const [minutes, setMinutes] = useState('15');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mins = Number(minutes);
  const minutesOk = Number.isInteger(mins) && mins >= 1 && mins <= MAX_LIFT_MINUTES;
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setReason('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="side-card side-card--mask" aria-labelledby="mask-props-title" data-testid="mask-properties">
      <h2 id="mask-props-title">
        {t.privacy.mask} <span className="mono muted">{mask.id}</span>
      </h2>
      <div className="field">
        <label htmlFor="mask-name">{t.privacy.name}</label>
        <input id="mask-name" data-testid="mask-name" value={mask.name ?? ''} maxLength={120} onChange={(e) => patch({ name: e.target.value })} />
      </div>
      <div className="form__row">
        <div className="field">
          <label htmlFor="mask-style">{t.privacy.style}</label>
          <select id="mask-style" data-testid="mask-style" value={mask.style} onChange={(e) => patch({ style: e.target.value === 'blur' ? 'blur' : 'solid' })}>
            <option value="solid">{t.privacy.solid}</option>
            <option value="blur">{t.privacy.blur}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="mask-detections">{t.privacy.detections}</label>
          <select id="mask-detections" data-testid="mask-detections" value={mask.detections} onChange={(e) => patch({ detections: e.target.value === 'keep' ? 'keep' : 'ignore' })}>
            <option value="ignore">{t.privacy.ignore}</option>
            <option value="keep">{t.privacy.keep}</option>
          </select>
        </div>
      </div>
      <div className="row-actions">
        <button type="button" className="btn btn--danger-outline" data-testid="mask-delete" onClick={() => dispatch({ type: 'delete-rule', ruleId: mask.id })}>
          {t.privacy.delete}
        </button>
      </div>
      <hr className="side-card__rule" />
      {lift ? (
        <div data-testid="mask-lifted">
          <p className="banner banner--warn small" role="status">
            {t.privacy.liftedUntil(formatTime(lift.until, tz, 'minute'), lift.by)}
          </p>
          <button type="button" className="btn btn--primary" data-testid="mask-restore" disabled={busy} onClick={() => void act(() => onRestore(mask.id))}>
            {t.privacy.restore}
          </button>
        </div>
      ) : saved ? (
        <form
          className="mask-lift"
          data-testid="mask-lift-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (minutesOk && reason.trim()) void act(() => onLift(mask.id, mins, reason.trim()));
          }}
        >
          <h3 className="small">{t.privacy.lift}</h3>
          <div className="form__row">
            <div className="field" style={{ maxWidth: 90, minWidth: 0 }}>
              <label htmlFor="mask-lift-minutes">{t.privacy.liftMinutes}</label>
              <input id="mask-lift-minutes" data-testid="mask-lift-minutes" type="number" min={1} max={MAX_LIFT_MINUTES} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="mask-lift-reason">{t.privacy.liftReason}</label>
              <input id="mask-lift-reason" data-testid="mask-lift-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} aria-describedby="mask-lift-reason-hint" />
              <p id="mask-lift-reason-hint" className="field__hint">
                {t.privacy.liftReasonHint}
              </p>
            </div>
          </div>
          <button type="submit" className="btn" data-testid="mask-lift" disabled={busy || !minutesOk || !reason.trim()}>
            {t.privacy.liftButton}
          </button>
        </form>
      ) : (
        <p className="muted small">{t.privacy.liftSaveFirst}</p>
      )}
      {error && (
        <p className="field__error" role="alert" data-testid="mask-error">
          {error}
        </p>
      )}
    </section>
  );
}
