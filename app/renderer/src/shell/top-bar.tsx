import { UserMenu } from '../auth/user-menu';
import { t } from '../i18n/en';
import { pageAllowed } from '../store/auth/auth.selectors';
import { selectAppInfo, selectConnection } from '../store/app/app.selectors';
import { useActions, useRoot } from '../store/store';
import { selectPage } from '../store/ui/ui.selectors';
import { PAGES } from '../store/ui/ui.state';
import { ShellTools } from '../alarms/shortcuts';
import { OpenAlarmsBadge } from '../alarms/open-alarms-badge';

/** Navigation, host badge and connection status. */
export function TopBar() {
  const page = useRoot(selectPage);
  const info = useRoot(selectAppInfo);
  const conn = useRoot(selectConnection);
  const { navigate } = useActions();
  const pages = useRoot((s) => PAGES.filter((p) => pageAllowed(s, p)).join(','));
  const connText = conn.state === 'open' ? t.connection.open : conn.state === 'reconnecting' ? t.connection.reconnecting : conn.state === 'failed' ? conn.reason : t.connection.connecting;
  const connTone = conn.state === 'open' ? 'ok' : conn.state === 'failed' ? 'bad' : 'warn';
  return (
    <header className="topbar">
      <span className="topbar__brand">{t.appName}</span>
      <nav aria-label={t.nav.label}>
        <ul className="nav">
          {PAGES.filter((p) => pages.split(',').includes(p)).map((p) => (
            <li key={p}>
              <a href={`#/${p}`} className={`nav__link${p === page ? ' nav__link--active' : ''}`} aria-current={p === page ? 'page' : undefined} data-testid={`nav-${p}`} onClick={() => navigate(p)}>
                {t.nav[p]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <span className="topbar__spacer" />
      <OpenAlarmsBadge />
      <ShellTools />
      <UserMenu />
      <span className="badge badge--idle" data-testid="host-badge" data-host={info?.host ?? 'unknown'} title={info ? t.host.title(info.version, info.dataDir) : undefined}>
        {info ? t.host[info.host] : t.host.unknown}
      </span>
      <span className={`conn conn--${connTone}`} data-testid="connection-status" data-state={conn.state} role="status">
        <span className="conn__dot" aria-hidden="true" />
        {connText}
      </span>
    </header>
  );
}
