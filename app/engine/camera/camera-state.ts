import type { CameraState } from '../../shared/domain/camera';

/**
 * The camera lifecycle as a pure transition function (see the diagram on CameraState in
 * app/shared/domain/camera.ts). The camera worker and the supervisor feed it events; an event that does not
 * apply in the current state leaves the state unchanged (the same object is returned), so callers can tell
 * "nothing happened" by identity.
 */
export type CameraEvent =
  /** The camera was enabled (or its worker started): begin the first connection attempt. */
  | { type: 'enable'; at: number }
  /** The camera was disabled or removed. */
  | { type: 'disable' }
  /** A (re)connection attempt starts now; `attempt` counts failures since the last healthy connection. */
  | { type: 'connect'; at: number; attempt: number }
  /** A decoded frame arrived. */
  | { type: 'frame'; at: number }
  /** No frame since `lastFrameAt` for half the watchdog gap. */
  | { type: 'gap'; at: number; lastFrameAt: number }
  /**
   * The decoder (or the worker) failed. Transient failures go to `reconnecting` and retry at `retryAt`;
   * permanent ones (bad file, not a video, no such device, authentication refused) go to `offline`.
   */
  | { type: 'failure'; at: number; reason: string; permanent: boolean; attempt: number; retryAt: number | null };

export const initialCameraState = (enabled: boolean, at: number): CameraState =>
  enabled ? { type: 'connecting', since: at, attempt: 0 } : { type: 'disabled' };

export function nextCameraState(state: CameraState, event: CameraEvent): CameraState {
  switch (event.type) {
    case 'disable':
      return state.type === 'disabled' ? state : { type: 'disabled' };
    case 'enable':
      return state.type === 'disabled' ? { type: 'connecting', since: event.at, attempt: 0 } : state;
    case 'connect':
      if (state.type === 'reconnecting' || state.type === 'offline' || state.type === 'connecting') {
        if (state.type === 'connecting' && state.attempt === event.attempt) return state;
        return { type: 'connecting', since: event.at, attempt: event.attempt };
      }
      return state;
    case 'frame':
      if (state.type === 'connecting' || state.type === 'stalled') return { type: 'online', since: event.at };
      return state;
    case 'gap':
      return state.type === 'online' ? { type: 'stalled', since: event.at, lastFrameAt: event.lastFrameAt } : state;
    case 'failure':
      if (state.type === 'disabled') return state;
      if (event.permanent) return { type: 'offline', since: event.at, reason: event.reason, retryAt: event.retryAt };
      return {
        type: 'reconnecting',
        since: event.at,
        attempt: event.attempt,
        retryAt: event.retryAt ?? event.at,
        reason: event.reason,
      };
  }
}

/** Short officer-readable description of a state, for health details and logs. */
export function describeCameraState(state: CameraState, now: number): string {
  const secs = (ms: number) => `${Math.max(0, Math.round(ms / 1000))} s`;
  switch (state.type) {
    case 'disabled':
      return 'Disabled';
    case 'connecting':
      return state.attempt > 0 ? `Connecting (attempt ${state.attempt + 1})` : 'Connecting';
    case 'online':
      return `Online for ${secs(now - state.since)}`;
    case 'stalled':
      return `No picture for ${secs(now - state.lastFrameAt)}`;
    case 'reconnecting':
      return `${state.reason}; retrying in ${secs(state.retryAt - now)}`;
    case 'offline':
      return state.retryAt === null ? state.reason : `${state.reason}; retrying in ${secs(state.retryAt - now)}`;
  }
}
