import { t } from '../i18n/en';
import { selectOpenAlarms } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { FloodBadge } from './flood-badge';

/** Count of open alarms in the top bar (red while any is new), and the flood state while there is one; a click opens the queue. */
export function OpenAlarmsBadge() {
  const open = useRoot(selectOpenAlarms);
  const { navigate } = useActions();
  const fresh = open.filter((a) => a.status === 'new').length;
  return (
    <>
      <FloodBadge />
      <a href="#/alarms" className={`badge ${fresh ? 'badge--bad' : 'badge--idle'}`} onClick={() => navigate('alarms')} data-testid="open-alarms-badge" data-open={open.length} data-new={fresh}>
        {t.nav.alarms}: {open.length}
      </a>
    </>
  );
}
