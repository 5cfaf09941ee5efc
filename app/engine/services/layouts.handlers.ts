import { actorName } from '../../shared/domain/user';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { layoutsInvoke } from '../../shared/ipc/layouts.contract';
import type { LayoutsService } from './layouts.service';

export function layoutsHandlers(layouts: LayoutsService): AreaHandlers<typeof layoutsInvoke> {
  return {
    'layouts:list': (_input, ctx) => layouts.list(actorName(ctx.user)),
    'layouts:save': ({ name, body, makeCurrent }, ctx) => layouts.save(actorName(ctx.user), name, body, makeCurrent),
    'layouts:delete': ({ id }, ctx) => ({ deleted: layouts.delete(actorName(ctx.user), id) }),
    'layouts:set-current': ({ id }, ctx) => layouts.setCurrent(actorName(ctx.user), id),
    'layouts:current': (_input, ctx) => layouts.current(actorName(ctx.user)),
  };
}
