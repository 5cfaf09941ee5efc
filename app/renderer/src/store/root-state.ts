import type { AppState } from './app/app.state';
import type { AuthState } from './auth/auth.state';
import type { CamerasState } from './cameras/cameras.state';
import type { HealthState } from './health/health.state';
import type { RootActions } from './root-actions';
import type { RulesState } from './rules/rules.state';
import type { UiState } from './ui/ui.state';
import type { PrivacyState } from './privacy/privacy.state';
import type { ReportsState } from './reports/reports.state';
import type { AlarmsState } from './alarms/alarms.state';
import type { LayoutsState } from './layouts/layouts.state';
import type { ExportState } from './export/export.state';
import type { IntegrationsState } from './integrations/integrations.state';
import type { PlaybackState } from './playback/playback.state';
import type { SiteState } from './site/site.state';

/** The whole renderer store: one nested state per slice plus the actions object (stable identity). */
export interface RootState {
  cameras: CamerasState;
  health: HealthState;
  app: AppState;
  rules: RulesState;
  ui: UiState;
  privacy: PrivacyState;
  reports: ReportsState;
  alarms: AlarmsState;
  layouts: LayoutsState;
  export: ExportState;
  integrations: IntegrationsState;
  playback: PlaybackState;
  site: SiteState;
  auth: AuthState;
  actions: RootActions;
}
