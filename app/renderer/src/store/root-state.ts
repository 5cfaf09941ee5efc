import type { AppState } from './app/app.state';
import type { AuthState } from './auth/auth.state';
import type { CamerasState } from './cameras/cameras.state';
import type { HealthState } from './health/health.state';
import type { RootActions } from './root-actions';
import type { RulesState } from './rules/rules.state';
import type { UiState } from './ui/ui.state';

/** The whole renderer store: one nested state per slice plus the actions object (stable identity). */
export interface RootState {
  cameras: CamerasState;
  health: HealthState;
  app: AppState;
  rules: RulesState;
  ui: UiState;
  auth: AuthState;
  actions: RootActions;
}
