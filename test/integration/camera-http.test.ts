import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cameraConfig, createCameraHarness, pgrep, uniqueId, type CameraHarness } from '../support/camera-harness';
import { freePort } from '../support/rtsp-server';
import { fixtures } from '../support/shared-fixtures';

// An HTTP MJPEG camera (multipart/x-mixed-replace), served by an ffmpeg HTTP listener on 127.0.0.1.
let h: CameraHarness | null = null;
let server: ChildProcess | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
  if (server && server.exitCode === null) server.kill('SIGKILL');
  server = null;
});

describe('HTTP MJPEG camera', () => {
  it('goes online and delivers frames', async () => {
    const port = await freePort();
    server = spawn(
      'ffmpeg',
      ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', fixtures.video('intel_one_by_one_person.mp4'), '-c:v', 'mjpeg', '-q:v', '6', '-f', 'mpjpeg', '-listen', '1', `http://127.0.0.1:${port}/cam.mjpg`],
      { stdio: 'ignore' },
    );
    // No port probe: `-listen 1` serves exactly one client. If the camera connects before the listener is up,
    // it is refused and reconnects with backoff, which this test then also covers.
    h = createCameraHarness();
    const id = uniqueId('http');
    h.supervisor.apply([cameraConfig(id, `http://127.0.0.1:${port}/cam.mjpg`, { analysisFps: 5 })]);
    await h.waitForState(id, 'online');
    const frames = await h.waitForFrames(id, 10);
    expect(frames.at(-1)).toMatchObject({ width: 768, height: 432, detections: null });
    await h.dispose();
    expect(pgrep(`watchroom-cam-${id}`)).toEqual([]);
  });
});
