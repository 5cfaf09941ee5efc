import { useEffect } from 'react';
import { AuditPage } from '../auth/audit-page';
import { UsersPage } from '../auth/users-page';
import { LivePage } from '../live/live-page';
import { CamerasPage } from '../pages/cameras-page';
import { HealthPage } from '../pages/health-page';
import { ModelsPage } from '../pages/models-page';
import { useActions, useRoot } from '../store/store';
import { selectPage } from '../store/ui/ui.selectors';
import { ConnectionBanner, DetectionBanner } from './banners';
import { TopBar } from './top-bar';

/** Top bar, banners and the current page. Starts the store's subscriptions for its lifetime. */
export function AppShell() {
  const page = useRoot(selectPage);
  const { start } = useActions();
  useEffect(() => start(), [start]);
  return (
    <div className="shell">
      <TopBar />
      <ConnectionBanner />
      <DetectionBanner />
      <main className="shell__main" id="main">
        {page === 'live' && <LivePage />}
        {page === 'cameras' && <CamerasPage />}
        {page === 'health' && <HealthPage />}
        {page === 'models' && <ModelsPage />}
        {page === 'users' && <UsersPage />}
        {page === 'audit' && <AuditPage />}
      </main>
    </div>
  );
}
