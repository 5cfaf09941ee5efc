import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { rulesInvoke } from '../../shared/ipc/rules.contract';
import type { RulesService } from './rules.service';

export function rulesHandlers(rules: RulesService): AreaHandlers<typeof rulesInvoke> {
  return {
    'rules:get': ({ cameraId }) => rules.get(cameraId),
    'rules:save': ({ cameraId, rules: saved }) => rules.save(cameraId, saved),
  };
}
