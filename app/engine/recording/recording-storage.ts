import fs from 'node:fs';
import type { CameraRecording } from '../../shared/domain/recording';
import type { Logger } from '../logging/logger';
import type { SegmentIndex, StoredSegment } from './segment-index';

const DAY_MS = 86_400_000;
/** Events mode: ordinary segments are kept this long past the pre-roll (events reach the engine a little late). */
const EVENT_LATENESS_MS = 10_000;

export interface StorageInputs {
  index: SegmentIndex;
  now: number;
  cameras: { id: string; settings: CameraRecording }[];
  /** Most bytes all recordings may take; null = no quota. */
  quotaBytes: number | null;
  /** Keep this much free on the disk. */
  minFreeBytes: number;
  freeBytes: () => number | null;
  log: Logger;
}

export interface StorageVerdict {
  /** Whether recording may go on (the quota and the floor are met, or were met by removing old segments). */
  room: boolean;
  bytes: number;
  freeBytes: number | null;
  removed: { retention: number; events: number; space: number };
}

/**
 * One storage pass: per-camera retention (event footage by its own days where set), events-mode pruning of the
 * rolling buffer (ordinary segments older than the pre-roll), then the site quota and free-space floor: the oldest
 * complete segments go first across cameras (ordinary footage before event footage). `room` is false when the
 * limits are still not met with nothing left to remove: recording must stop.
 */
export function enforceStorage(s: StorageInputs): StorageVerdict {
  const removed = { retention: 0, events: 0, space: 0 };
  for (const cam of s.cameras) {
    const days = cam.settings.retentionDays;
    const eventDays = cam.settings.eventRetentionDays ?? days;
    if (days !== null) removed.retention += removeAll(s, s.index.endedBefore(cam.id, s.now - days * DAY_MS, false));
    if (eventDays !== null) removed.retention += removeAll(s, s.index.endedBefore(cam.id, s.now - eventDays * DAY_MS, true));
    if (cam.settings.mode === 'events') {
      removed.events += removeAll(s, s.index.endedBefore(cam.id, s.now - cam.settings.preRollS * 1000 - EVENT_LATENESS_MS, false));
    }
  }
  let bytes = s.index.usage().bytes;
  let free = s.freeBytes();
  const need = () => Math.max(s.quotaBytes === null ? 0 : bytes - s.quotaBytes, free === null ? 0 : s.minFreeBytes - free);
  while (need() > 0) {
    const batch = s.index.oldestRemovable(50);
    if (!batch.length) break;
    for (const seg of batch) {
      if (need() <= 0) break;
      removeOne(s, seg);
      removed.space++;
      bytes -= seg.bytes;
      if (free !== null) free += seg.bytes;
    }
    free = s.freeBytes() ?? free;
  }
  if (removed.retention || removed.events || removed.space) s.log.info('recordings removed', { ...removed });
  return { room: need() <= 0, bytes, freeBytes: free, removed };
}

function removeAll(s: StorageInputs, segs: StoredSegment[]): number {
  for (const seg of segs) removeOne(s, seg);
  return segs.length;
}

function removeOne(s: StorageInputs, seg: StoredSegment): void {
  try {
    fs.rmSync(seg.path, { force: true });
  } catch (err) {
    s.log.warn('recording segment could not be removed', { path: seg.relPath, err });
    return;
  }
  s.index.remove(seg.id);
}
