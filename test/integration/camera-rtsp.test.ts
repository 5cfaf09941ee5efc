import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cameraConfig, createCameraHarness, pgrep, poll, uniqueId, type CameraHarness } from '../support/camera-harness';
import { startGstRtspServer, startPerlRtspServer, stopAllRtspServers, type RtspServer } from '../support/rtsp-server';
import { fixtures } from '../support/shared-fixtures';

// Real RTSP servers (GStreamer over TCP, rtsp-server-perl over UDP) on 127.0.0.1, real ffmpeg in real workers.
const clip = () => fixtures.video('intel_one_by_one_person.mp4');
let h: CameraHarness | null = null;
const servers: RtspServer[] = [];
const serve = <T extends RtspServer>(s: T): T => {
  servers.push(s);
  return s;
};

afterEach(async () => {
  await h?.dispose();
  h = null;
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
afterAll(() => stopAllRtspServers());

describe('RTSP cameras', () => {
  it('TCP (GStreamer): online, frames flow; server killed -> reconnecting; restarted -> online; no ffmpeg leaked', async () => {
    const server = serve(await startGstRtspServer({ clip: clip() }));
    h = createCameraHarness({ watchdogGapMs: 8_000 });
    const id = uniqueId('tcp');
    h.supervisor.apply([cameraConfig(id, server.url(), { rtspTransport: 'tcp' })]);
    await h.waitForState(id, 'online');
    const frames = await h.waitForFrames(id, 5);
    expect([...frames.at(-1)!.jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(frames.at(-1)).toMatchObject({ width: 768, height: 432 });
    const firstFfmpeg = h.supervisor.processes(id).ffmpegPid;

    await server.stop();
    await h.waitForState(id, 'reconnecting');
    await server.restart();
    await h.waitForState(id, 'online', 90_000);
    await h.waitForFrames(id, 3);
    // Exactly one ffmpeg for this camera, and it is a new one.
    await poll('a single ffmpeg', () => pgrep(`watchroom-cam-${id}`).length === 1, 10_000);
    expect(h.supervisor.processes(id).ffmpegPid).not.toBe(firstFfmpeg);
    await h.dispose();
    expect(pgrep(`watchroom-cam-${id}`)).toEqual([]);
  });

  it('UDP (rtsp-server-perl): online, frames flow; server killed -> reconnecting; restarted -> online', async () => {
    const server = serve(await startPerlRtspServer({ clip: clip() }));
    h = createCameraHarness({ watchdogGapMs: 6_000 });
    const id = uniqueId('udp');
    h.supervisor.apply([cameraConfig(id, server.url(), { rtspTransport: 'udp' })]);
    await h.waitForState(id, 'online', 90_000);
    await h.waitForFrames(id, 5);
    await server.stop();
    await h.waitForState(id, (s) => s.type === 'reconnecting' || s.type === 'stalled');
    await server.restart();
    await h.waitForState(id, 'online', 90_000);
    await h.waitForFrames(id, 3);
    await h.dispose();
    expect(pgrep(`watchroom-cam-${id}`)).toEqual([]);
  });

  it('a stalled source (server SIGSTOPped) is caught by the watchdog, then recovers after SIGCONT', async () => {
    const server = serve(await startGstRtspServer({ clip: clip() }));
    const gapMs = 3_000;
    h = createCameraHarness({ watchdogGapMs: gapMs });
    const id = uniqueId('stall');
    h.supervisor.apply([cameraConfig(id, server.url())]);
    await h.waitForState(id, 'online');
    await h.waitForFrames(id, 3);
    const stalledFfmpeg = h.supervisor.processes(id).ffmpegPid;
    server.pause();
    const pausedAt = Date.now();
    try {
      await h.waitForState(id, (s) => s.type === 'reconnecting' && /stalled/i.test(s.reason), 30_000);
      const caughtAfter = Date.now() - pausedAt;
      const history = h.states.get(id)!.map((s) => s.type);
      expect(history.slice(history.lastIndexOf('online'))).toEqual(expect.arrayContaining(['stalled', 'reconnecting']));
      // Generous bound for a loaded machine: the gap plus scheduling slack, far below ffmpeg's own ~4 timeouts.
      expect(caughtAfter).toBeLessThan(gapMs + 10_000);
      // The hung ffmpeg (which ignores SIGTERM) was SIGKILLed.
      await poll('stalled ffmpeg killed', () => !pgrep(`watchroom-cam-${id}`).includes(stalledFfmpeg!), 10_000);
    } finally {
      server.resume();
    }
    await h.waitForState(id, 'online', 90_000);
    await h.waitForFrames(id, 3);
  });

  it('a wrong password gives "authentication failed", never shows the password, and spares other cameras', async () => {
    const server = serve(await startGstRtspServer({ clip: clip(), auth: { user: 'officer', pass: 'Right-Pass-1' } }));
    h = createCameraHarness();
    const good = uniqueId('authok');
    const bad = uniqueId('authbad');
    const secret = 'Wr0ngSecret99';
    h.supervisor.apply([
      cameraConfig(good, server.url({ user: 'officer', pass: 'Right-Pass-1' })),
      cameraConfig(bad, server.url({ user: 'officer', pass: secret })),
    ]);
    const s = await h.waitForState(bad, 'offline');
    expect(s.type === 'offline' && s.reason).toMatch(/authentication failed/i);
    await h.waitForState(good, 'online');
    await h.waitForFrames(good, 3);
    const everything = JSON.stringify([...h.states.values()]) + h.logs.join('\n') + JSON.stringify(h.supervisor.health());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('Right-Pass-1');
    expect(everything).toContain('officer:***@');
  });
});
