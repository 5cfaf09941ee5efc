import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { healthInvoke } from '../../shared/ipc/health.contract';
import type { HealthService } from './health.service';

export function healthHandlers(health: HealthService): AreaHandlers<typeof healthInvoke> {
  return {
    'health:get': () => health.report(),
  };
}
