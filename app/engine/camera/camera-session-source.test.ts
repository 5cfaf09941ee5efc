import { describe, expect, it } from 'vitest';
import type { CameraState } from '../../shared/domain/camera';
import { CameraSession } from './camera-session';
import { defaultCameraWorkerOptions } from './camera-worker-protocol';

/**
 * A malformed source already stored (saved before the check existed) puts the camera offline with the reason,
 * without starting ffmpeg and without throwing: an exception here used to take the camera worker down at every
 * restart.
 */
describe('CameraSession with a stored malformed file URL', () => {
  it.each(['file://remotehost/x', 'file:///a%2Fb'])('%s: offline with the reason, no ffmpeg, no retry', async (source) => {
    const states: CameraState[] = [];
    let spawns = 0;
    const session = new CameraSession({ id: 'c1', name: 'door', source, rtspTransport: 'tcp', analysisFps: 5, enabled: true }, defaultCameraWorkerOptions, {
      ffmpegPath: () => {
        spawns++;
        return '/nonexistent/ffmpeg';
      },
      createInferenceClient: () => {
        throw new Error('no inference in this test');
      },
      onState: (s) => states.push(s),
      onFrame() {},
      onStats() {},
      onFfmpeg() {},
      log() {},
    });
    expect(() => session.start()).not.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    expect(spawns).toBe(0);
    expect(states.at(-1)).toMatchObject({ type: 'offline', retryAt: null, reason: expect.stringMatching(/on this computer|encoded slash/) });
    await session.dispose();
  });
});
