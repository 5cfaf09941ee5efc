import { actorName } from '../../shared/domain/user';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { retentionInvoke } from '../../shared/ipc/retention.contract';
import type { RetentionService } from './retention.service';

export function retentionHandlers(retention: RetentionService): AreaHandlers<typeof retentionInvoke> {
  return {
    'retention:get': () => retention.status(),
    'retention:set': ({ policy }, ctx) => retention.setPolicy(policy, actorName(ctx.user)),
    'retention:run': (_input, ctx) => retention.run('manual', actorName(ctx.user)),
  };
}
