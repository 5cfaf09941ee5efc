import type { CameraState } from './camera';
import type { HealthLevel } from './health';

/**
 * THE rule for a camera's health level, in one place, so that a missing file, a dead RTSP camera and a slow
 * camera get words from one scale (Health page, health alarms, /metrics):
 *
 *   healthy    a picture at (at least half) the analysis rate asked for, or the camera is switched off
 *   degraded   a picture, but too slow (under half the target rate once settled), or detection unavailable;
 *              or no picture yet for less than NO_PICTURE_GRACE_MS (starting, a short reconnect)
 *   unhealthy  no picture for NO_PICTURE_GRACE_MS or longer, whatever the cause (missing file, dead RTSP
 *              server, stalled stream, given up)
 */
export const NO_PICTURE_GRACE_MS = 30_000;
/** A camera online for less than this has no settled rate yet. */
export const RATE_SETTLE_MS = 15_000;
/** Below this share of the target analysis rate, a live camera is degraded. */
export const SLOW_SHARE = 0.5;

export interface CameraHealthInput {
  state: CameraState;
  now: number;
  /** Analysis frames per second measured, if known. */
  fps?: number | undefined;
  /** Analysis frames per second asked for (the camera's setting). */
  targetFps: number;
  detectionUnavailable?: boolean;
}

export interface CameraHealthVerdict {
  level: HealthLevel;
  /** Why, when not healthy, in plain words (appended to the state's own words); '' otherwise. */
  why: string;
}

export function cameraHealthLevel(h: CameraHealthInput): CameraHealthVerdict {
  const s = h.state;
  if (s.type === 'disabled') return { level: 'healthy', why: '' };
  if (s.type === 'online') {
    const settled = h.now - s.since >= RATE_SETTLE_MS;
    if (settled && h.fps !== undefined && h.targetFps > 0 && h.fps < h.targetFps * SLOW_SHARE) {
      return { level: 'degraded', why: `too slow: ${h.fps} of ${h.targetFps} pictures per second` };
    }
    if (h.detectionUnavailable) return { level: 'degraded', why: '' };
    return { level: 'healthy', why: '' };
  }
  // No picture now: connecting, stalled, reconnecting or offline. How long without one decides.
  const since = s.type === 'stalled' ? s.lastFrameAt : s.since;
  const without = h.now - since;
  if (s.type === 'offline' && s.retryAt === null) return { level: 'unhealthy', why: '' };
  return without >= NO_PICTURE_GRACE_MS ? { level: 'unhealthy', why: '' } : { level: 'degraded', why: '' };
}
