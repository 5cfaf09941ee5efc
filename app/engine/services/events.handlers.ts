import { actorName } from '../../shared/domain/user';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { eventsInvoke } from '../../shared/ipc/events.contract';
import type { EventsService } from './events.service';

export function eventsHandlers(events: EventsService): AreaHandlers<typeof eventsInvoke> {
  return {
    'events:list': (input) => events.list(input),
    'events:review': (input) => events.review(input),
    'events:void': (input, ctx) => events.void(input, actorName(ctx.user)),
    'events:correct': (input, ctx) => events.correct(input, actorName(ctx.user)),
    'counts:totals': (input) => events.totals(input),
    'rules:dry-run': (input) => events.dryRun(input),
  };
}
