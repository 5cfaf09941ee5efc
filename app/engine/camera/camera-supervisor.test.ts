import { describe, expect, it } from 'vitest';
import type { CameraState } from '../../shared/domain/camera';
import type { WorkerExit, WorkerHandle, WorkerStarter, WorkerStartOptions } from '../process/worker-starter';
import type { CameraRuntimeConfig } from './camera-runtime';
import { CameraSupervisor } from './camera-supervisor';
import type { FromCameraWorker, ToCameraWorker } from './camera-worker-protocol';

/** In-memory workers: records what the supervisor sends, lets the test speak for the worker. */
class FakeWorker implements WorkerHandle {
  static nextPid = 1000;
  readonly pid = FakeWorker.nextPid++;
  readonly sent: ToCameraWorker[] = [];
  private readonly msg = new Set<(m: unknown) => void>();
  private readonly exitL = new Set<(e: WorkerExit) => void>();
  exited: WorkerExit | null = null;
  constructor(readonly name: string) {}
  send(m: unknown) {
    if (!this.exited) this.sent.push(m as ToCameraWorker);
  }
  onMessage(l: (m: unknown) => void) {
    this.msg.add(l);
    return { dispose: () => this.msg.delete(l) };
  }
  onExit(l: (e: WorkerExit) => void) {
    this.exitL.add(l);
    return { dispose: () => this.exitL.delete(l) };
  }
  emit(m: FromCameraWorker) {
    for (const l of [...this.msg]) l(m);
  }
  die(e: WorkerExit) {
    if (this.exited) return;
    this.exited = e;
    for (const l of [...this.exitL]) l(e);
  }
  async stop() {
    this.die({ code: 0, signal: null, crashed: false });
    return this.exited!;
  }
  kill() {
    this.die({ code: null, signal: 'SIGKILL', crashed: true });
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const starter: WorkerStarter = {
    start: (o: WorkerStartOptions) => {
      const w = new FakeWorker(o.name);
      workers.push(w);
      return w;
    },
  };
  const sup = new CameraSupervisor({ starter, restartBackoff: { initialMs: 20, random: () => 0.5 } });
  const states: Array<[string, CameraState['type']]> = [];
  sup.onState((id, s) => states.push([id, s.type]));
  return { sup, workers, states };
}

const cam = (id: string, extra: Partial<CameraRuntimeConfig> = {}): CameraRuntimeConfig => ({
  id,
  name: id,
  source: 'rtsp://u:p@cam/s',
  rtspTransport: 'tcp',
  analysisFps: 5,
  enabled: true,
  ...extra,
});
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('CameraSupervisor (fake workers)', () => {
  it('starts one worker per enabled camera and sends start on ready', async () => {
    const { sup, workers } = setup();
    sup.apply([cam('a'), cam('b', { enabled: false })]);
    await tick();
    expect(workers.map((w) => w.name)).toEqual(['camera:a']);
    expect(sup.state('b')).toEqual({ type: 'disabled' });
    workers[0]!.emit({ type: 'ready' });
    expect(workers[0]!.sent[0]).toMatchObject({ type: 'start', config: { id: 'a' } });
    workers[0]!.emit({ type: 'state', state: { type: 'online', since: 1 } });
    expect(sup.state('a').type).toBe('online');
    await sup.dispose();
  });

  it('forwards frames as LiveFrames', async () => {
    const { sup, workers } = setup();
    const got: unknown[] = [];
    sup.onFrame((f) => got.push(f));
    sup.apply([cam('a')]);
    await tick();
    const jpeg = new Uint8Array([0xff, 0xd8]);
    workers[0]!.emit({ type: 'frame', header: { cameraId: 'a', seq: 3, pts: 0.6, capturedAt: 5, width: 2, height: 2, detections: null }, jpeg });
    expect(got).toEqual([{ cameraId: 'a', seq: 3, pts: 0.6, capturedAt: 5, width: 2, height: 2, detections: null, jpeg }]);
    await sup.dispose();
  });

  it('restarts a crashed worker with backoff and counts the restart', async () => {
    const { sup, workers, states } = setup();
    sup.apply([cam('a')]);
    await tick();
    workers[0]!.kill();
    expect(sup.state('a')).toMatchObject({ type: 'reconnecting', reason: expect.stringMatching(/worker stopped unexpectedly \(signal SIGKILL\)/) });
    expect(workers).toHaveLength(1);
    await tick(60);
    expect(workers).toHaveLength(2);
    expect(states.map((s) => s[1])).toEqual(['connecting', 'reconnecting', 'connecting']);
    expect(sup.health().find((c) => c.id === 'worker:camera:a')?.metrics.restarts).toBe(1);
    await sup.dispose();
  });

  it('diffs configurations: unchanged stays, changed restarts, removed stops', async () => {
    const { sup, workers } = setup();
    sup.apply([cam('a'), cam('b')]);
    await tick();
    sup.apply([cam('a'), cam('b')]);
    await tick();
    expect(workers).toHaveLength(2);
    sup.apply([cam('a', { analysisFps: 2 })]);
    await tick();
    expect(workers[0]!.exited?.crashed).toBe(false);
    expect(workers[1]!.exited?.crashed).toBe(false);
    expect(workers).toHaveLength(3);
    expect(sup.state('b')).toEqual({ type: 'disabled' });
    await sup.dispose();
    expect(workers.every((w) => w.exited)).toBe(true);
  });

  it('reports camera, worker and ffmpeg health', async () => {
    const { sup, workers } = setup();
    sup.apply([cam('a')]);
    await tick();
    const w = workers[0]!;
    w.emit({ type: 'state', state: { type: 'online', since: Date.now() } });
    // Absent until measured (the page shows a dash), never a made-up zero.
    expect(sup.health().find((c) => c.id === 'camera:a')!.metrics).not.toHaveProperty('decodeLatencyMs');
    w.emit({
      type: 'stats',
      stats: {
        at: Date.now(),
        fps: 5,
        lastFrameAt: Date.now(),
        reconnects: 2,
        droppedFrames: 1,
        decode: { meanMs: 1.2649, p95Ms: 3.1, frames: 100, histogram: { buckets: [90, 100, 100, 100, 100, 100, 100, 100, 100, 100], count: 100, sum: 0.1265 } },
        detection: { status: 'off' },
        worker: { pid: w.pid, cpuPercent: 1.5, rssBytes: 1e6 },
        ffmpeg: { pid: 4242, usage: { pid: 4242, cpuPercent: 12, rssBytes: 5e7 } },
      },
    });
    const h = sup.health();
    // Decode latency: the worker's mean decode time per frame, rounded to 0.1 ms.
    expect(h.find((c) => c.id === 'camera:a')).toMatchObject({ level: 'healthy', metrics: { fps: 5, reconnects: 2, droppedFrames: 1, decodeLatencyMs: 1.3 } });
    // ... and every decoded frame's decode time as a histogram, for /metrics.
    expect(h.find((c) => c.id === 'camera:a')!.metrics.decodeHistogram).toEqual({ buckets: [90, 100, 100, 100, 100, 100, 100, 100, 100, 100], count: 100, sum: 0.1265 });
    expect(h.find((c) => c.id === 'worker:camera:a')).toMatchObject({ metrics: { pid: w.pid, cpuPercent: 1.5, rssBytes: 1e6, restarts: 0 } });
    expect(h.find((c) => c.id === 'worker:camera:a:ffmpeg')).toMatchObject({ metrics: { pid: 4242, cpuPercent: 12, rssBytes: 5e7 } });
    await sup.dispose();
  });

  it('says in a tiled camera`s health that each picture is checked in several parts', async () => {
    const { sup, workers } = setup();
    const spec = { modelId: 'm', width: 416, height: 416, colour: 'bgr' as const, letterbox: 'topleft' as const, padValue: 114 };
    sup.apply([cam('a', { inference: { endpoint: '/x', spec, tiling: { columns: 2, rows: 1, overlap: 0.2, wholeFrame: true } } }), cam('b', { inference: { endpoint: '/x', spec } })]);
    await tick();
    for (const w of workers) w.emit({ type: 'state', state: { type: 'online', since: Date.now() } });
    const h = sup.health();
    expect(h.find((c) => c.id === 'camera:a')!.detail).toContain('each picture checked in 3 parts (about 3x the detection work)');
    expect(h.find((c) => c.id === 'camera:b')!.detail).not.toContain('parts');
    await sup.dispose();
  });
});
