import type { ModelView } from '../../shared/domain/model';
import type { DetectionStatus } from '../../shared/ipc/models.contract';
import { AppErrorException } from '../../shared/ipc/envelope';

/** Shown while no detector is installed. */
export const DETECTION_OFF_MESSAGE =
  'Detection is off: no model is installed. Add one with `npm run models -- import <file.onnx>` or `npm run models -- fetch <id>`.';

/**
 * PLACEHOLDER until the model registry is wired in (detection issue): no models, detection off.
 * Keeps the channel behaviour the renderer relies on.
 */
export class ModelsService {
  list(): ModelView[] {
    return [];
  }
  setDefault(id: string | null): ModelView[] {
    if (id !== null) throw new AppErrorException('not-found', `No installed model has the id "${id}".`);
    return [];
  }
  status(): DetectionStatus {
    return { state: 'off', modelId: null, message: DETECTION_OFF_MESSAGE, executionProvider: null };
  }
}
