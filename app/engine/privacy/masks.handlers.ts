import { actorName } from '../../shared/domain/user';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { masksInvoke } from '../../shared/ipc/masks.contract';
import type { PrivacyMasksService } from './privacy-masks.service';

export function masksHandlers(masks: PrivacyMasksService): AreaHandlers<typeof masksInvoke> {
  return {
    'masks:get': ({ cameraId }) => masks.get(cameraId),
    'masks:save': ({ cameraId, masks: saved }, ctx) => masks.save(cameraId, saved, actorName(ctx.user)),
    'masks:lift': (input, ctx) => masks.lift(input, actorName(ctx.user)),
    'masks:restore': ({ cameraId, maskId }, ctx) => masks.restore(cameraId, maskId, actorName(ctx.user)),
  };
}
