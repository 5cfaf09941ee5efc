import { t } from '../i18n/en';
import { selectFlood } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';

/** "Alarm flood: 14 alarms in 10 min" on the top bar while the site is in the flood state; a click opens the queue. */
export function FloodBadge() {
  const flood = useRoot(selectFlood);
  const { navigate } = useActions();
  // The live region is always there (empty without a flood), so a screen reader announces the flood when it begins.
  return (
    <span role="status" className="flood-status">
      {flood?.active && (
        <a href="#/alarms" className="badge badge--bad badge--flood" title={t.alarms.floodTitle(flood.threshold, flood.windowS)} onClick={() => navigate('alarms')} data-testid="flood-badge" data-opened={flood.openedInWindow}>
          {t.alarms.flood(flood.openedInWindow, flood.windowS)}
        </a>
      )}
    </span>
  );
}
