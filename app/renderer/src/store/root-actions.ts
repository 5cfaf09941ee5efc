import type { AppActions } from './app/app.actions';
import type { AuthActions } from './auth/auth.actions';
import type { CamerasActions } from './cameras/cameras.actions';
import type { HealthActions } from './health/health.actions';
import type { RulesActions } from './rules/rules.actions';
import type { UiActions } from './ui/ui.actions';
import type { PrivacyActions } from './privacy/privacy.actions';
import type { ReportsActions } from './reports/reports.actions';
import type { AlarmsActions } from './alarms/alarms.actions';
import type { LayoutsActions } from './layouts/layouts.actions';
import type { EventsActions } from './events-review/events.actions';
import type { ExportActions } from './export/export.actions';
import type { IntegrationsActions } from './integrations/integrations.actions';
import type { PlaybackActions } from './playback/playback.actions';
import type { SiteActions } from './site/site.actions';
import type { DownloadsActions } from './downloads/downloads.actions';
import type { RecordingsActions } from './recordings/recordings.actions';
import type { WatchlistActions } from './watchlist/watchlist.actions';

export interface LifecycleActions {
  /** Subscribes to pushes and connection changes, loads everything, starts the health poll; returns stop. */
  start(): () => void;
}
export type RootActions = CamerasActions & HealthActions & AppActions & UiActions & RulesActions & LifecycleActions & PrivacyActions & ReportsActions & AlarmsActions & LayoutsActions & EventsActions & ExportActions & IntegrationsActions & PlaybackActions & SiteActions & DownloadsActions & RecordingsActions & WatchlistActions & AuthActions;
