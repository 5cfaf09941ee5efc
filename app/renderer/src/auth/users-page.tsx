import { useEffect, useState, type FormEvent } from 'react';
import { fourEyesEligible } from '../../../shared/auth/permissions';
import { RoleSchema, type Role } from '../../../shared/domain/user';
import { t } from '../i18n/en';
import { formatTime } from '../i18n/format-time';
import { selectAuth } from '../store/auth/auth.selectors';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';

const ROLES = RoleSchema.options;

/**
 * Admin: local accounts (add with a temporary password, change role, disable, set a temporary password for a user
 * who forgot theirs) and the security policy (idle lock, four-eyes).
 */
export function UsersPage() {
  const { users, usersError, policy, user: me } = useRoot(selectAuth);
  const tz = useRoot(selectTimeZone);
  const { loadUsers, createUser, updateUser, resetPassword, savePolicy } = useActions();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('officer');
  const [password, setPassword] = useState('');
  const [idle, setIdle] = useState<string | null>(null);
  const [fourEyes, setFourEyes] = useState<string[] | null>(null);
  const [saved, setSaved] = useState(false);
  /** The account whose temporary password is being set, and the one just set (for the note). */
  const [resetFor, setResetFor] = useState<string | null>(null);
  const [resetPasswordText, setResetPasswordText] = useState('');
  const [resetDone, setResetDone] = useState<string | null>(null);
  const resetUser = users?.find((u) => u.id === resetFor);
  const reset = (e: FormEvent) => {
    e.preventDefault();
    if (!resetUser) return;
    void resetPassword(resetUser.id, resetPasswordText).then((ok) => {
      if (!ok) return;
      setResetDone(resetUser.name);
      setResetFor(null);
      setResetPasswordText('');
    });
  };
  useEffect(() => void loadUsers(), [loadUsers]);
  const add = (e: FormEvent) => {
    e.preventDefault();
    void createUser(name, role, password).then((ok) => {
      if (ok) {
        setName('');
        setPassword('');
      }
    });
  };
  const idleValue = idle ?? String(policy?.idleLockMinutes ?? '');
  const eyes = fourEyes ?? policy?.fourEyes ?? [];
  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void savePolicy({ idleLockMinutes: Number(idleValue), fourEyes: eyes }).then((ok) => setSaved(ok));
  };
  return (
    <section className="page" aria-labelledby="users-title" data-testid="users-page">
      <div className="toolbar">
        <h1 id="users-title" className="page__title">{t.auth.users.title}</h1>
      </div>
      {usersError && (
        <p className="banner banner--bad" role="alert" data-testid="users-error">
          {usersError}
        </p>
      )}
      {users && (
        <div className="table-wrap">
          <table className="table" data-testid="users-table">
            <thead>
              <tr>
                <th scope="col">{t.auth.users.colName}</th>
                <th scope="col">{t.auth.users.colRole}</th>
                <th scope="col">{t.auth.users.colStatus}</th>
                <th scope="col">{t.auth.users.colLastLogin}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-testid="user-row" data-user={u.name}>
                  <th scope="row">{u.name}</th>
                  <td>
                    <select aria-label={t.auth.users.colRole} value={u.role} disabled={u.id === me?.userId} onChange={(e) => void updateUser(u.id, { role: e.target.value as Role })} data-testid="user-role">
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t.auth.roles[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <span className={`badge badge--${u.disabled ? 'warn' : 'ok'}`}>{u.disabled ? t.auth.users.disabled : t.auth.users.active}</span>
                    {u.mustChangePassword && (
                      <>
                        {' '}
                        <span className="badge badge--idle" data-testid="user-must-change">
                          {t.auth.users.mustChange}
                        </span>
                      </>
                    )}
                  </td>
                  <td className="muted">{u.lastLoginAt ? formatTime(u.lastLoginAt, tz) : t.auth.users.never}</td>
                  <td>
                    {u.id !== me?.userId && (
                      <span className="row-actions">
                        <button className="btn btn--small" onClick={() => void updateUser(u.id, { disabled: !u.disabled })} data-testid="user-toggle">
                          {u.disabled ? t.auth.users.enable : t.auth.users.disable}
                        </button>
                        <button
                          className="btn btn--small"
                          onClick={() => {
                            setResetFor(u.id);
                            setResetDone(null);
                          }}
                          aria-expanded={resetFor === u.id}
                          data-testid="user-reset-password"
                        >
                          {t.auth.users.resetPassword}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {resetDone && (
        <p className="banner banner--ok" role="status" data-testid="user-reset-done">
          {t.auth.users.resetDone(resetDone)}
        </p>
      )}
      {resetUser && (
        <form className="card form" onSubmit={reset} data-testid="user-reset-form" aria-labelledby="user-reset-title">
          <h2 id="user-reset-title">{t.auth.users.resetTitle(resetUser.name)}</h2>
          <p className="muted">{t.auth.users.resetHelp}</p>
          <div className="field">
            <label htmlFor="user-reset-password">{t.auth.users.newPassword}</label>
            <input id="user-reset-password" name="password" type="password" autoComplete="new-password" minLength={10} value={resetPasswordText} onChange={(e) => setResetPasswordText(e.target.value)} required autoFocus />
          </div>
          <div className="form__actions">
            <button className="btn btn--primary" type="submit" data-testid="user-reset-save">
              {t.auth.users.resetSave}
            </button>
            <button className="btn" type="button" onClick={() => setResetFor(null)}>
              {t.auth.cancel}
            </button>
          </div>
        </form>
      )}
      <form className="card form" onSubmit={add} data-testid="user-form">
        <h2>{t.auth.users.add}</h2>
        <div className="form__row">
          <div className="field">
            <label htmlFor="user-name">{t.auth.name}</label>
            <input id="user-name" name="name" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="user-role">{t.auth.users.colRole}</label>
            <select id="user-role" name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t.auth.roles[r]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="user-password">{t.auth.users.newPassword}</label>
            <input id="user-password" name="password" type="password" autoComplete="new-password" aria-describedby="user-password-hint" value={password} onChange={(e) => setPassword(e.target.value)} required />
            <p id="user-password-hint" className="muted small">
              {t.auth.users.newPasswordHint}
            </p>
          </div>
        </div>
        <div className="form__actions">
          <button className="btn btn--primary" type="submit" data-testid="user-create">
            {t.auth.users.create}
          </button>
        </div>
      </form>
      {policy && (
        <form className="card form" onSubmit={save} data-testid="policy-form">
          <h2>{t.auth.users.policyTitle}</h2>
          <div className="field">
            <label htmlFor="policy-idle">{t.auth.users.idleLock}</label>
            <input id="policy-idle" name="idleLockMinutes" type="number" min={0.05} step="any" value={idleValue} onChange={(e) => setIdle(e.target.value)} />
          </div>
          <fieldset className="field">
            <legend>{t.auth.users.fourEyes}</legend>
            {fourEyesEligible().map((c) => (
              <label key={c} className="check">
                <input type="checkbox" name={`four-eyes-${c}`} checked={eyes.includes(c)} onChange={(e) => setFourEyes(e.target.checked ? [...eyes, c] : eyes.filter((x) => x !== c))} /> {t.auth.channelName(c)}
              </label>
            ))}
          </fieldset>
          <div className="form__actions">
            <button className="btn btn--primary" type="submit" data-testid="policy-save">
              {t.auth.users.savePolicy}
            </button>
            {saved && (
              <span className="muted" role="status" data-testid="policy-saved">
                {t.auth.users.saved}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
