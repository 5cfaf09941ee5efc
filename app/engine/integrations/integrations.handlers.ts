import { actorName } from '../../shared/domain/user';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { integrationsInvoke } from '../../shared/ipc/integrations.contract';
import type { IntegrationsService } from './integrations.service';

export function integrationsHandlers(integrations: IntegrationsService): AreaHandlers<typeof integrationsInvoke> {
  return {
    'integrations:tokens': () => integrations.tokens.list(),
    'integrations:token-create': ({ name, role, days }, ctx) => integrations.createToken(name, role, days, actorName(ctx.user)),
    'integrations:token-revoke': ({ id }, ctx) => integrations.tokens.revoke(id, actorName(ctx.user)),
    'integrations:settings-get': () => integrations.settings(),
    'integrations:settings-set': (input) => integrations.setSettings(input),
    'integrations:raise-alarm': (input, ctx) => integrations.raiseAlarm(input, actorName(ctx.user)),
  };
}
