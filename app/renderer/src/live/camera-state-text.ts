import type { CameraState } from '../../../shared/domain/camera';
import { t } from '../i18n/en';

/** Short badge text for a state. */
export function stateBadge(st: CameraState | undefined): string {
  return st ? t.state[st.type] : t.state.connecting;
}

/** Long explanation shown over a tile that is not online (null when online). */
export function stateMessage(st: CameraState | undefined, now: number): string | null {
  if (!st) return t.state.connecting;
  switch (st.type) {
    case 'online':
      return null;
    case 'disabled':
      return t.state.disabled;
    case 'connecting':
      return t.state.connectingAttempt(st.attempt);
    case 'stalled':
      return t.state.stalledFor(Math.max(0, Math.round((now - st.lastFrameAt) / 1000)));
    case 'reconnecting':
      return t.state.reconnectingIn(Math.max(0, Math.ceil((st.retryAt - now) / 1000)), st.reason);
    case 'offline':
      return t.state.offlineReason(st.reason);
  }
}

/** Visual tone of a state for badges and tiles. */
export function stateTone(st: CameraState | undefined): 'ok' | 'warn' | 'bad' | 'idle' {
  switch (st?.type) {
    case 'online':
      return 'ok';
    case 'connecting':
    case 'stalled':
    case 'reconnecting':
    case undefined:
      return 'warn';
    case 'offline':
      return 'bad';
    case 'disabled':
      return 'idle';
  }
}
