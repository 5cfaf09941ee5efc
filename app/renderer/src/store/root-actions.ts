import type { AppActions } from './app/app.actions';
import type { AuthActions } from './auth/auth.actions';
import type { CamerasActions } from './cameras/cameras.actions';
import type { HealthActions } from './health/health.actions';
import type { RulesActions } from './rules/rules.actions';
import type { UiActions } from './ui/ui.actions';

export interface LifecycleActions {
  /** Subscribes to pushes and connection changes, loads everything, starts the health poll; returns stop. */
  start(): () => void;
}
export type RootActions = CamerasActions & HealthActions & AppActions & UiActions & RulesActions & LifecycleActions & AuthActions;
