import { FACE_LEGAL_NOTICE } from '../../shared/domain/faces';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { facesInvoke } from '../../shared/ipc/faces.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import { actorName } from '../../shared/domain/user';
import { WatchlistError, type WatchlistService } from './watchlist.service';

/** A watchlist problem the user can fix becomes a plain `invalid` answer; anything else stays an internal error. */
async function plain<T>(f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof WatchlistError) throw new AppErrorException('invalid-input', e.message);
    throw e;
  }
}

/** The face watchlist's handlers; `faces` is the running engine's WatchlistService. */
export function facesHandlers(faces: () => WatchlistService): AreaHandlers<typeof facesInvoke> {
  return {
    'faces:list': (_input, ctx) => ({ entries: faces().list(actorName(ctx.user)), thresholds: faces().thresholds() }),
    'faces:enrol': (input, ctx) => plain(() => faces().enrol(input, actorName(ctx.user), ctx.approver?.name ?? null)),
    'faces:remove': ({ id }, ctx) => plain(() => {
      faces().remove(id, actorName(ctx.user));
      return { removed: true as const };
    }),
    'faces:export': ({ id }, ctx) => plain(() => faces().export(id, actorName(ctx.user))),
    'faces:erase': ({ id }, ctx) => plain(() => faces().erase(id, actorName(ctx.user))),
    'faces:set-threshold': ({ category, threshold }, ctx) => plain(() => faces().setThreshold(category, threshold, actorName(ctx.user))),
    'faces:camera-get': ({ cameraId }) => ({ enabled: faces().cameraEnabled(cameraId), notice: FACE_LEGAL_NOTICE }),
    'faces:camera-set': ({ cameraId, enabled, noticeAccepted }, ctx) => plain(() => {
      faces().setCamera(cameraId, enabled, actorName(ctx.user), noticeAccepted);
      return { enabled: faces().cameraEnabled(cameraId) };
    }),
    'faces:match-get': ({ id }, ctx) => plain(() => faces().match(id, actorName(ctx.user))),
    'faces:match-decide': ({ id, outcome }, ctx) => plain(() => faces().decide(id, outcome, actorName(ctx.user))),
  };
}
