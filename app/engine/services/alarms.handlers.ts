import { actorName } from '../../shared/domain/user';
import type { alarmsInvoke } from '../../shared/ipc/alarms.contract';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { AlarmsService } from './alarms.service';

export function alarmsHandlers(alarms: AlarmsService): AreaHandlers<typeof alarmsInvoke> {
  return {
    'alarms:list': (input) => alarms.list(input),
    'alarms:get': ({ id }) => alarms.get(id),
    'alarms:acknowledge': ({ id }, ctx) => alarms.acknowledge(id, actorName(ctx.user)),
    'alarms:hold': ({ id, comment }, ctx) => alarms.hold(id, actorName(ctx.user), comment),
    'alarms:resume': ({ id }, ctx) => alarms.resume(id, actorName(ctx.user)),
    'alarms:close': (input, ctx) => alarms.close(input, actorName(ctx.user)),
    'alarms:snapshot': ({ ref }) => alarms.snapshot(ref),
    'alarms:rule-stats': ({ cameraId }) => alarms.store.ruleStats(cameraId),
    'alarms:arming': () => alarms.arming(),
    'alarms:arm': (input, ctx) => alarms.arm(input, actorName(ctx.user)),
    'alarms:disarm': (input, ctx) => alarms.disarm(input, actorName(ctx.user)),
    'alarms:set-switch': (input, ctx) => alarms.setSwitch(input, actorName(ctx.user)),
    'alarms:shelve': (input, ctx) => alarms.shelve(input, actorName(ctx.user)),
    'alarms:unshelve': (input, ctx) => alarms.unshelve(input, actorName(ctx.user)),
    'alarms:shelves': (input) => alarms.listShelves(input),
    'alarms:flood': () => alarms.flood.state(),
    'alarms:settings-get': () => alarms.settings(),
    'alarms:settings-set': (input) => alarms.setSettings(input),
    'site:settings-get': () => alarms.siteSettings(),
    'site:settings-set': (input) => alarms.setSiteSettings(input),
  };
}
