import type { LiveFrame } from '../../shared/domain/detection';
import type { Logger } from '../logging/logger';
import { FACE_MATCH_PRIORITY } from '../../shared/domain/alarms';
import type { AlarmStore } from '../alarms/alarm-store';
import type { FaceWatch, FaceWatchMatch } from './face-watch';
import type { WatchlistService } from './watchlist.service';

/**
 * The live face step (issue 23) on the engine's frame stream, for cameras with face matching on.
 *
 * Source of pixels: the frame's display JPEG, which the camera's one ffmpeg already encodes for officers at the
 * source's own size up to 720 lines (ffmpeg-args.ts), with privacy masks burned in. The 416 px letterboxed model
 * input is too small for faces (a face a quarter that size), and nothing is decoded a second time here: a frame
 * in which a person track is due for a look (at most once a second per track, see FaceWatch) is sent, as its
 * JPEG bytes and the head regions of the picked tracks, to the shared inference worker, which decodes it and runs
 * the face models; every other frame costs nothing. Matching against the watchlist stays in this process.
 *
 * Cost bound: in the inference worker, looks are a low-priority job class (idle-time-queue.ts), run in a thread
 * of their own: one look at a time for the whole site, started only when no person-detection frame waits and a
 * session is free, holding that session while it runs (a frame may wait for it, at most one look's time); after
 * a look that kept frames waiting the next one rests, so that looks keep frames waiting at most 5 % of the
 * time; at most a few looks wait (one per camera). Here, one look per camera
 * is in flight; a frame of that camera that arrives meanwhile is skipped (its tracks stay due and are looked at
 * on a later frame), as is a look the worker did not run (queue full, worker restarting). A camera with faces off
 * costs one Set lookup a frame.
 */
export interface LiveFaceStepOptions {
  watch: FaceWatch;
  cameraEnabled: (cameraId: string) => boolean;
  log: Logger;
  /** After a failed look (face model missing), how long before trying again, ms. Default 60 s. */
  retryAfterMs?: number;
  now?: () => number;
}

export class LiveFaceStep {
  /** Cameras with a look in flight. */
  private readonly busy = new Set<string>();
  private pausedUntil = 0;
  /** The last problem (a face model missing or unreadable), logged once; null while faces are looked at normally. */
  private lastProblem: string | null = null;

  constructor(private readonly o: LiveFaceStepOptions) {}

  frame(f: LiveFrame): void {
    if (!this.o.cameraEnabled(f.cameraId)) {
      this.o.watch.forget(f.cameraId);
      return;
    }
    if (!f.detections?.length) return;
    const now = (this.o.now ?? Date.now)();
    if (now < this.pausedUntil) return;
    if (this.busy.has(f.cameraId) || !this.o.watch.pick(f.cameraId, f.detections, f.capturedAt).length) return;
    this.busy.add(f.cameraId);
    void this.look(f).finally(() => {
      this.busy.delete(f.cameraId);
    });
  }

  private async look(f: LiveFrame): Promise<void> {
    try {
      if (!(await this.o.watch.frame(f.cameraId, f, f.detections ?? [], f.capturedAt))) return;
      if (this.lastProblem) this.o.log.info('face matching works again', { camera: f.cameraId });
      this.lastProblem = null;
    } catch (err) {
      const message = (err as Error).message;
      if (message !== this.lastProblem) this.o.log.warn('face matching paused: person detection goes on', { camera: f.cameraId, reason: message });
      this.lastProblem = message;
      this.pausedUntil = (this.o.now ?? Date.now)() + (this.o.retryAfterMs ?? 60_000);
    }
  }
}

/**
 * A recorded match opens a `face-match` system alarm in the alarm queue (priority by the person's category), or
 * while one is open for the same person on the same camera, fires it again with the latest match (as a rule's
 * repeats fold into its open alarm). The match record keeps the id of its alarm.
 */
export function openFaceMatchAlarm(store: AlarmStore, faces: WatchlistService, log: Logger): (m: FaceWatchMatch) => void {
  return (m) => {
    const detail = { condition: 'face-match' as const, matchId: m.matchId, entryId: m.entryId, cameraId: m.cameraId, name: m.name, category: m.category, similarity: m.similarity, track: m.track };
    const open = store.openSystemAlarm(`face:${m.cameraId}:${m.entryId}`, 'face-match');
    const alarm = open ? store.transition(open.id, 'retrigger', 'system', { detail }).alarm : store.open({ kind: 'system', priority: FACE_MATCH_PRIORITY[m.category], detail }, 'system').alarm;
    faces.linkAlarm(m.matchId, alarm.id);
    log.info('watchlist match', { camera: m.cameraId, match: m.matchId, alarm: alarm.id, similarity: Number(m.similarity.toFixed(3)) });
  };
}
