import { describe, expect, it } from 'vitest';
import { cameraHealthLevel, NO_PICTURE_GRACE_MS } from './camera-health';

const now = 1_000_000_000;
const min = 60_000;

describe('camera health levels: one scale for every way a camera fails', () => {
  it('a missing file, a dead RTSP camera and a stalled stream are all unhealthy once without a picture for the grace time', () => {
    // A missing file: ffmpeg fails, the camera is offline.
    expect(cameraHealthLevel({ state: { type: 'offline', since: now - min, reason: 'No such file', retryAt: now + min }, now, targetFps: 5 }).level).toBe('unhealthy');
    // A dead RTSP camera keeps reconnecting.
    expect(cameraHealthLevel({ state: { type: 'reconnecting', since: now - 2 * min, attempt: 6, retryAt: now + 5000, reason: 'Connection refused' }, now, targetFps: 5 }).level).toBe('unhealthy');
    expect(cameraHealthLevel({ state: { type: 'stalled', since: now - 5000, lastFrameAt: now - min }, now, targetFps: 5 }).level).toBe('unhealthy');
    expect(cameraHealthLevel({ state: { type: 'offline', since: now, reason: 'given up', retryAt: null }, now, targetFps: 5 }).level).toBe('unhealthy');
  });

  it('a short gap (starting, one reconnect) is degraded, not yet unhealthy', () => {
    expect(cameraHealthLevel({ state: { type: 'connecting', since: now - 3000, attempt: 1 }, now, targetFps: 5 }).level).toBe('degraded');
    expect(cameraHealthLevel({ state: { type: 'reconnecting', since: now - NO_PICTURE_GRACE_MS + 1, attempt: 1, retryAt: now + 1000, reason: 'x' }, now, targetFps: 5 }).level).toBe('degraded');
  });

  it('1 fps against a target of 5 is degraded, with the figures in words; half the target or more is healthy', () => {
    const slow = cameraHealthLevel({ state: { type: 'online', since: now - min }, now, fps: 1, targetFps: 5 });
    expect(slow).toEqual({ level: 'degraded', why: 'too slow: 1 of 5 pictures per second' });
    expect(cameraHealthLevel({ state: { type: 'online', since: now - min }, now, fps: 2.5, targetFps: 5 }).level).toBe('healthy');
    // Just started: the rate is not settled yet.
    expect(cameraHealthLevel({ state: { type: 'online', since: now - 2000 }, now, fps: 1, targetFps: 5 }).level).toBe('healthy');
  });

  it('detection unavailable on a live camera is degraded; a switched-off camera is healthy', () => {
    expect(cameraHealthLevel({ state: { type: 'online', since: now - min }, now, fps: 5, targetFps: 5, detectionUnavailable: true }).level).toBe('degraded');
    expect(cameraHealthLevel({ state: { type: 'disabled' }, now, targetFps: 5 }).level).toBe('healthy');
  });
});
