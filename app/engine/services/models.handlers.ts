import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { modelsInvoke } from '../../shared/ipc/models.contract';
import type { ModelsService } from './models.service';

export function modelsHandlers(models: ModelsService): AreaHandlers<typeof modelsInvoke> {
  return {
    'models:list': () => models.list(),
    'models:set-default': ({ id }) => models.setDefault(id),
    'models:status': () => models.status(),
  };
}
