import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { t } from '../i18n/en';
import { selectAuth } from '../store/auth/auth.selectors';
import { useActions, useRoot } from '../store/store';
import { ConfirmDialog } from './confirm-dialog';

/**
 * Nothing of the app shows before sign-in: the first run asks for the administrator (there is no default
 * password), later runs for a name and password. Signed in, the shell renders with the idle lock watching
 * input; a locked session keeps the shell (and its live view) mounted behind the lock screen.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const auth = useRoot(selectAuth);
  const { checkAuth } = useActions();
  useEffect(() => void checkAuth(), [checkAuth]);
  if (auth.phase === 'checking') {
    return (
      <div className="auth-screen" data-testid="auth-checking">
        <p className="muted">{auth.error ?? t.auth.checking}</p>
      </div>
    );
  }
  if (auth.phase === 'setup' || auth.phase === 'login') return <SignInForm setup={auth.phase === 'setup'} />;
  if (auth.phase === 'choose-password') return <ChoosePasswordForm />;
  return (
    <>
      <div className="auth-app" aria-hidden={auth.locked || undefined} inert={auth.locked || undefined}>
        {children}
      </div>
      {!auth.locked && <IdleLock minutes={auth.policy?.idleLockMinutes ?? 10} />}
      {auth.locked && <LockScreen />}
      {auth.confirm && !auth.locked && <ConfirmDialog />}
    </>
  );
}

function SignInForm({ setup }: { setup: boolean }) {
  const { error, errorSeq, busy } = useRoot(selectAuth);
  const { setupAdmin, login } = useActions();
  const [name, setName] = useState(setup ? 'admin' : '');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (setup && password !== again) return setLocal(t.auth.passwordsDiffer);
    setLocal(null);
    void (setup ? setupAdmin(name, password) : login(name, password));
  };
  const shown = local ?? error;
  return (
    <div className="auth-screen">
      <form className="card form auth-card" onSubmit={submit} data-testid={setup ? 'auth-setup' : 'auth-login'} aria-labelledby="auth-title">
        <h1 id="auth-title" className="auth-card__title">
          <span className="topbar__brand">{t.appName}</span> · {setup ? t.auth.setupTitle : t.auth.loginTitle}
        </h1>
        {setup && <p className="muted">{t.auth.setupHelp}</p>}
        <div className="field">
          <label htmlFor="auth-name">{t.auth.name}</label>
          <input id="auth-name" name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required autoFocus={!setup} />
        </div>
        <div className="field">
          <label htmlFor="auth-password">{t.auth.password}</label>
          <input id="auth-password" name="password" type="password" autoComplete={setup ? 'new-password' : 'current-password'} value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus={setup} />
        </div>
        {setup && (
          <div className="field">
            <label htmlFor="auth-again">{t.auth.passwordAgain}</label>
            <input id="auth-again" name="again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required />
          </div>
        )}
        {shown && (
          <p className="form__error" role="alert" data-testid="auth-error" data-seq={local ? 'local' : errorSeq}>
            {shown}
          </p>
        )}
        <div className="form__actions">
          <button className="btn btn--primary" type="submit" disabled={busy} data-testid="auth-submit">
            {setup ? t.auth.setupSubmit : t.auth.loginSubmit}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Shortest password the host accepts (PasswordSchema in app/shared/ipc/auth.contract.ts). */
const MIN_PASSWORD = 10;

/**
 * Right after signing in with a password an admin chose (a new account, or a reset): the user replaces it with
 * their own before the app opens. The host refuses everything else until then, whatever this screen does.
 */
function ChoosePasswordForm() {
  const { user, error, errorSeq, busy } = useRoot(selectAuth);
  const { chooseOwnPassword, logout } = useActions();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  /** Counts the problems found here, so the same message shown twice is still a new answer (like errorSeq). */
  const [localSeq, setLocalSeq] = useState(0);
  const text = t.auth.choosePassword;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = next.length < MIN_PASSWORD ? text.tooShort : next !== again ? t.auth.passwordsDiffer : next === current ? text.same : null;
    setLocal(problem);
    if (problem) setLocalSeq((n) => n + 1);
    else void chooseOwnPassword(current, next);
  };
  const shown = local ?? error;
  return (
    <div className="auth-screen">
      <form className="card form auth-card" onSubmit={submit} data-testid="choose-password" aria-labelledby="choose-password-title">
        <h1 id="choose-password-title" className="auth-card__title">
          <span className="topbar__brand">{t.appName}</span> · {text.title}
        </h1>
        <p className="muted">{text.help(user?.name ?? '')}</p>
        <div className="field">
          <label htmlFor="choose-current">{text.current}</label>
          <input id="choose-current" name="current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoFocus />
        </div>
        <div className="field">
          <label htmlFor="choose-next">{text.next}</label>
          <input id="choose-next" name="next" type="password" autoComplete="new-password" aria-describedby="choose-rule" value={next} onChange={(e) => setNext(e.target.value)} required />
          <p id="choose-rule" className="muted small">
            {text.rule}
          </p>
        </div>
        <div className="field">
          <label htmlFor="choose-again">{text.again}</label>
          <input id="choose-again" name="again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} required />
        </div>
        {shown && (
          <p className="form__error" role="alert" data-testid="auth-error" data-seq={local ? `local-${localSeq}` : errorSeq}>
            {shown}
          </p>
        )}
        <div className="form__actions">
          <button className="btn btn--primary" type="submit" disabled={busy} data-testid="choose-password-submit">
            {text.submit}
          </button>
          <button className="btn" type="button" onClick={() => void logout()} data-testid="choose-password-sign-out">
            {t.auth.signOut}
          </button>
        </div>
      </form>
    </div>
  );
}

/** Locks the screen after the policy's minutes without keyboard or pointer input. */
function IdleLock({ minutes }: { minutes: number }) {
  const { lock } = useActions();
  const last = useRef(Date.now());
  useEffect(() => {
    const touch = () => void (last.current = Date.now());
    const events = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
    events.forEach((e) => document.addEventListener(e, touch, { passive: true }));
    const timer = setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) void lock();
    }, 1000);
    return () => {
      clearInterval(timer);
      events.forEach((e) => document.removeEventListener(e, touch));
    };
  }, [minutes, lock]);
  return null;
}

function LockScreen() {
  const { user, error, errorSeq, busy } = useRoot(selectAuth);
  const { unlock, logout } = useActions();
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void unlock(password).then(() => setPassword(''));
  };
  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      <form className="card form auth-card" onSubmit={submit}>
        <h2 id="lock-title">{t.auth.lockedTitle}</h2>
        <p className="muted">{t.auth.lockedHelp(user?.name ?? '')}</p>
        <div className="field">
          <label htmlFor="lock-password">{t.auth.password}</label>
          <input id="lock-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
        </div>
        {error && (
          <p className="form__error" role="alert" data-testid="auth-error" data-seq={errorSeq}>
            {error}
          </p>
        )}
        <div className="form__actions">
          <button className="btn btn--primary" type="submit" disabled={busy} data-testid="unlock-submit">
            {t.auth.unlock}
          </button>
          <button className="btn" type="button" onClick={() => void logout()} data-testid="lock-sign-out">
            {t.auth.signOut}
          </button>
        </div>
      </form>
    </div>
  );
}
