import { useState } from 'react';
import { t } from '../i18n/en';
import { useActions } from '../store/store';

/** Shelve a rule of a camera: for how long (15 min to 8 h) and why. Closes itself when the host accepted it. */
export function ShelveForm({ cameraId, ruleId, ruleLabel, onDone }: { cameraId: string; ruleId: string; ruleLabel: string; onDone(): void }) {
  const { shelveRule } = useActions();
  const [minutes, setMinutes] = useState(t.alarms.shelveDurations[0]![0]);
  const [reason, setReason] = useState('');
  return (
    <form
      className="close-dialog"
      aria-labelledby="shelve-title"
      data-testid="shelve-form"
      onSubmit={(e) => {
        e.preventDefault();
        void shelveRule(cameraId, ruleId, minutes, reason).then((ok) => ok && onDone());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
      }}
    >
      <h3 id="shelve-title">
        {t.alarms.shelveTitle}: {ruleLabel}
      </h3>
      <p className="muted small">{t.alarms.shelveHelp}</p>
      <div className="form__row">
        <label className="field">
          <span>{t.alarms.shelveFor}</span>
          <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} data-testid="shelve-minutes">
            {t.alarms.shelveDurations.map(([m, label]) => (
              <option key={m} value={m}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t.alarms.shelveReason}</span>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required minLength={3} data-testid="shelve-reason" autoFocus />
        </label>
      </div>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" data-testid="shelve-confirm">
          {t.alarms.shelveConfirm}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          {t.alarms.cancel}
        </button>
      </div>
    </form>
  );
}
