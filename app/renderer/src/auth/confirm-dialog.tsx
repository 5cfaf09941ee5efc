import { useState, type FormEvent } from 'react';
import { t } from '../i18n/en';
import { selectConfirm } from '../store/auth/auth.selectors';
import { useActions, useRoot } from '../store/store';

/** Re-enter the password for a sensitive action; under the four-eyes rule a second user approves with theirs. */
export function ConfirmDialog() {
  const c = useRoot(selectConfirm);
  const { submitConfirm, cancelConfirm } = useActions();
  const [password, setPassword] = useState('');
  const [approver, setApprover] = useState('');
  const [approverPassword, setApproverPassword] = useState('');
  if (!c) return null;
  const fourEyes = c.kind === 'four-eyes';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void submitConfirm(password, fourEyes ? { name: approver, password: approverPassword } : undefined);
  };
  return (
    <div className="lock-screen lock-screen--dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog" data-kind={c.kind}>
      <form className="card form auth-card" onSubmit={submit}>
        <h2 id="confirm-title">{t.auth.confirmTitle}</h2>
        <p>
          <strong>{t.auth.channelName(c.channel)}</strong>
        </p>
        <p className="muted">{fourEyes ? t.auth.fourEyesHelp : t.auth.confirmHelp}</p>
        <div className="field">
          <label htmlFor="confirm-password">{t.auth.yourPassword}</label>
          <input id="confirm-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
        </div>
        {fourEyes && (
          <div className="form__row">
            <div className="field">
              <label htmlFor="confirm-approver">{t.auth.approverName}</label>
              <input id="confirm-approver" name="approver" autoComplete="off" value={approver} onChange={(e) => setApprover(e.target.value)} required />
            </div>
            <div className="field">
              <label htmlFor="confirm-approver-password">{t.auth.approverPassword}</label>
              <input id="confirm-approver-password" name="approverPassword" type="password" autoComplete="off" value={approverPassword} onChange={(e) => setApproverPassword(e.target.value)} required />
            </div>
          </div>
        )}
        {c.error && (
          <p className="form__error" role="alert" data-testid="confirm-error" data-seq={c.errorSeq}>
            {c.error}
          </p>
        )}
        <div className="form__actions">
          <button className="btn btn--primary" type="submit" disabled={c.busy} data-testid="confirm-submit">
            {t.auth.confirm}
          </button>
          <button className="btn" type="button" onClick={cancelConfirm} data-testid="confirm-cancel">
            {t.auth.cancel}
          </button>
        </div>
      </form>
    </div>
  );
}
