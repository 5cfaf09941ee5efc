import { actorName } from '../../shared/domain/user';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { reportsInvoke } from '../../shared/ipc/reports.contract';
import type { ReportsService } from './reports.service';

export function reportsHandlers(reports: ReportsService): AreaHandlers<typeof reportsInvoke> {
  return {
    'reports:build': (input, ctx) => reports.build(input, actorName(ctx.user)),
    'reports:export': (input, ctx) => reports.startExport(input, actorName(ctx.user)),
    'reports:cancel-export': ({ exportId }) => ({ cancelled: reports.cancelExport(exportId) }),
    'reports:book-add': ({ text }, ctx) => reports.addEntry(text, actorName(ctx.user)),
    'reports:book-list': ({ from, to }) => reports.entries(from, to),
    'reports:shift-current': ({ at }) => reports.currentShift(at),
    'reports:shift-sign-off': ({ from, to, note }, ctx) => reports.signOff(from, to, note, actorName(ctx.user)),
    'reports:schedules': () => reports.scheduler.list(),
    'reports:schedule-save': (input) => reports.scheduler.save(input),
    'reports:schedule-remove': ({ id }) => ({ removed: reports.scheduler.remove(id) }),
    'reports:folders': () => reports.folders.view(),
    'reports:folders-set': ({ folders }) => reports.folders.set(folders),
  };
}
