import { useEffect } from 'react';
import { AuditPage } from '../auth/audit-page';
import { UsersPage } from '../auth/users-page';
import { LivePage } from '../live/live-page';
import { CamerasPage } from '../pages/cameras-page';
import { HealthPage } from '../pages/health-page';
import { ModelsPage } from '../pages/models-page';
import { SettingsPage } from '../settings/settings-page';
import { ReportsPage } from '../reports/reports-page';
import { ExportPage } from '../export/export-page';
import { useActions, useRoot } from '../store/store';
import { selectPage } from '../store/ui/ui.selectors';
import { ConnectionBanner, DetectionBanner } from './banners';
import { TopBar } from './top-bar';
import { AlarmAlerter } from '../alarms/alarm-alerter';
import { AlarmsPage } from '../alarms/alarms-page';
import { MonitorPage } from '../alarms/monitor-page';
import { Shortcuts } from '../alarms/shortcuts';
import { EventsPage } from '../events-review/events-page';
import { PlaybackPage } from '../playback/playback-page';
import { WatchlistPage } from '../watchlist/watchlist-page';

/** Top bar, banners and the current page. Starts the store's subscriptions for its lifetime. */
export function AppShell() {
  const page = useRoot(selectPage);
  const { start } = useActions();
  useEffect(() => start(), [start]);
  // The alarm monitor window: the alarm's camera and snapshot only, full screen.
  if (page === 'monitor') return <div className="shell shell--monitor"><ConnectionBanner /><MonitorPage /></div>;
  return (
    <div className="shell">
      <TopBar />
      <AlarmAlerter />
      <Shortcuts />
      <ConnectionBanner />
      <DetectionBanner />
      <main className="shell__main" id="main">
        {page === 'live' && <LivePage />}
        {page === 'cameras' && <CamerasPage />}
        {page === 'health' && <HealthPage />}
        {page === 'models' && <ModelsPage />}
        {page === 'settings' && <SettingsPage />}
        {page === 'reports' && <ReportsPage />}
        {page === 'alarms' && <AlarmsPage />}
        {page === 'events' && <EventsPage />}
        {page === 'playback' && <PlaybackPage />}
        {page === 'export' && <ExportPage />}
        {page === 'users' && <UsersPage />}
        {page === 'audit' && <AuditPage />}
        {page === 'watchlist' && <WatchlistPage />}
      </main>
    </div>
  );
}
