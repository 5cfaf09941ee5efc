import { describe, expect, it } from 'vitest';
import type { CameraState } from '../../shared/domain/camera';
import { describeCameraState, initialCameraState, nextCameraState } from './camera-state';

const connecting: CameraState = { type: 'connecting', since: 1, attempt: 0 };
const online: CameraState = { type: 'online', since: 2 };

describe('camera state transitions', () => {
  it('follows the happy path: disabled -> connecting -> online', () => {
    const s1 = nextCameraState({ type: 'disabled' }, { type: 'enable', at: 1 });
    expect(s1).toEqual(connecting);
    expect(nextCameraState(s1, { type: 'frame', at: 2 })).toEqual(online);
    expect(initialCameraState(false, 0)).toEqual({ type: 'disabled' });
    expect(initialCameraState(true, 5)).toEqual({ type: 'connecting', since: 5, attempt: 0 });
  });

  it('goes stalled after half the gap and back online on a frame', () => {
    const stalled = nextCameraState(online, { type: 'gap', at: 10, lastFrameAt: 5 });
    expect(stalled).toEqual({ type: 'stalled', since: 10, lastFrameAt: 5 });
    expect(nextCameraState(stalled, { type: 'frame', at: 11 })).toEqual({ type: 'online', since: 11 });
    // gap only applies to online
    expect(nextCameraState(connecting, { type: 'gap', at: 10, lastFrameAt: 5 })).toBe(connecting);
  });

  it('transient failures reconnect, permanent ones go offline', () => {
    for (const from of [connecting, online, { type: 'stalled', since: 1, lastFrameAt: 0 } as CameraState]) {
      expect(nextCameraState(from, { type: 'failure', at: 3, reason: 'The stream ended', permanent: false, attempt: 1, retryAt: 1003 })).toEqual({
        type: 'reconnecting',
        since: 3,
        attempt: 1,
        retryAt: 1003,
        reason: 'The stream ended',
      });
    }
    expect(nextCameraState(connecting, { type: 'failure', at: 3, reason: 'No such video device', permanent: true, attempt: 0, retryAt: 60003 })).toEqual({
      type: 'offline',
      since: 3,
      reason: 'No such video device',
      retryAt: 60003,
    });
  });

  it('reconnecting and offline go back to connecting on a new attempt', () => {
    const rec: CameraState = { type: 'reconnecting', since: 3, attempt: 2, retryAt: 5, reason: 'x' };
    expect(nextCameraState(rec, { type: 'connect', at: 5, attempt: 2 })).toEqual({ type: 'connecting', since: 5, attempt: 2 });
    const off: CameraState = { type: 'offline', since: 3, reason: 'x', retryAt: 9 };
    expect(nextCameraState(off, { type: 'connect', at: 9, attempt: 1 })).toEqual({ type: 'connecting', since: 9, attempt: 1 });
    expect(nextCameraState(online, { type: 'connect', at: 9, attempt: 1 })).toBe(online);
  });

  it('disable wins from any state; a disabled camera ignores everything but enable', () => {
    for (const s of [connecting, online, { type: 'offline', since: 1, reason: 'r', retryAt: null } as CameraState]) {
      expect(nextCameraState(s, { type: 'disable' })).toEqual({ type: 'disabled' });
    }
    const d: CameraState = { type: 'disabled' };
    expect(nextCameraState(d, { type: 'frame', at: 1 })).toBe(d);
    expect(nextCameraState(d, { type: 'failure', at: 1, reason: 'r', permanent: false, attempt: 1, retryAt: 2 })).toBe(d);
  });

  it('describes states for officers', () => {
    expect(describeCameraState({ type: 'reconnecting', since: 0, attempt: 1, retryAt: 2000, reason: 'Connection refused' }, 0)).toBe(
      'Connection refused; retrying in 2 s',
    );
    expect(describeCameraState({ type: 'offline', since: 0, reason: 'Bad', retryAt: null }, 0)).toBe('Bad');
  });
});
