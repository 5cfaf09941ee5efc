import { actorName } from '../../shared/domain/user';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { evidenceInvoke } from '../../shared/ipc/evidence.contract';
import type { EvidenceService } from './evidence.service';

/** The evidence area's handlers (playback, exports, verify); `evidence` is read per call (the engine may restart). */
export function evidenceHandlers(evidence: () => EvidenceService): AreaHandlers<typeof evidenceInvoke> {
  return {
    'evidence:timeline': (w) => evidence().timeline(w),
    // The dispatcher writes the audit row (who, camera, moment, reason): evidence:play is a `changes` channel.
    'evidence:play': (i) => evidence().play(i),
    'evidence:tracks': ({ cameraId, from, to }) => evidence().tracks(cameraId, from, to),
    'evidence:export': (i, ctx) => evidence().startExport(i, actorName(ctx.user), ctx.approver?.name ?? null, false),
    'evidence:export-unmasked': (i, ctx) => evidence().startExport(i, actorName(ctx.user), ctx.approver?.name ?? null, true),
    'evidence:cancel': ({ exportId }) => ({ cancelled: evidence().cancel(exportId) }),
    'evidence:verify': ({ folder }) => evidence().verify(folder),
  };
}
