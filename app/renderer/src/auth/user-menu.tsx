import { t } from '../i18n/en';
import { selectUser } from '../store/auth/auth.selectors';
import { useActions, useRoot } from '../store/store';

/** Who is signed in, with Lock and Sign out (top bar). */
export function UserMenu() {
  const user = useRoot(selectUser);
  const { lock, logout } = useActions();
  if (!user) return null;
  return (
    <span className="user-menu">
      <span className="badge badge--idle" data-testid="user-badge" data-role={user.role}>
        {t.auth.userBadge(user.name, t.auth.roles[user.role] ?? user.role)}
      </span>
      <button className="btn btn--small" onClick={() => void lock()} data-testid="lock-now">
        {t.auth.lockNow}
      </button>
      <button className="btn btn--small" onClick={() => void logout()} data-testid="sign-out">
        {t.auth.signOut}
      </button>
    </span>
  );
}
