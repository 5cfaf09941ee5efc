import { describe, expect, it } from 'vitest';
import type { CameraAnalysisFacts } from '../camera/camera-runtime';
import { nullLogger, type Logger } from '../logging/logger';
import { AnalysisRateController, type InferenceLoad } from './analysis-rate-controller';

/** Cameras as the supervisor reports them; the test moves their counters like workers would. */
function fakeCameras(n: number, withTracksNearLine: ReadonlySet<string>) {
  const cams: CameraAnalysisFacts[] = Array.from({ length: n }, (_, i) => ({
    id: `c${i}`,
    name: `Camera ${i}`,
    analysisFps: 10,
    reducedFps: null,
    droppedFrames: 0,
    analysis: { hasRules: true, liveTracks: withTracksNearLine.has(`c${i}`) ? 1 : 0, tracksNearRules: withTracksNearLine.has(`c${i}`), detectedFrames: 0, gatedFrames: 0, reducedFps: null },
  }));
  const applied: Array<[string, number | null]> = [];
  const runtime = {
    analysisFacts: () => cams.map((c) => ({ ...c })),
    setReducedRate: (id: string, fps: number | null) => {
      applied.push([id, fps]);
      cams.find((c) => c.id === id)!.reducedFps = fps;
    },
  };
  return { cams, applied, runtime };
}

function recordingLog(lines: string[]): Logger {
  const l = { ...nullLogger } as Logger;
  l.info = (msg: string) => void lines.push(`info ${msg}`);
  l.warn = (msg: string) => void lines.push(`warn ${msg}`);
  return l;
}

describe('AnalysisRateController (graceful degradation)', () => {
  it('lowers cameras without tracks near a line first while the detector drops frames, logs each change, keeps the busy camera, and recovers without oscillating', () => {
    const { cams, applied, runtime } = fakeCameras(8, new Set(['c0']));
    const lines: string[] = [];
    const inference: InferenceLoad = { processed: 0, dropped: 0, pending: 0 };
    const c = new AnalysisRateController({ runtime, inferenceLoad: () => ({ ...inference }), log: recordingLog(lines), governor: { cooldownTicks: 0, recoverAfterTicks: 3 } });
    /** One tick of load: `drops` frames lost since the last tick. */
    const tick = (drops: number, pending = 0) => {
      for (const cam of cams) {
        cam.analysis!.detectedFrames += 10;
        cam.droppedFrames += drops / cams.length;
      }
      inference.processed += 80;
      inference.pending = pending;
      return c.tick();
    };
    expect(tick(0)).toEqual({ overloaded: false, headroom: true }); // first tick: a baseline
    for (let i = 0; i < 12; i++) expect(tick(40, 6)!.overloaded).toBe(true);
    const reduced = applied.filter(([, fps]) => fps !== null);
    expect(reduced.length).toBeGreaterThan(0);
    // the camera with a track near its line kept its rate; the others gave theirs up
    expect(applied.some(([id]) => id === 'c0')).toBe(false);
    expect(cams.filter((x) => x.reducedFps !== null).length).toBeGreaterThan(1);
    expect(lines.filter((l) => l === 'info analysis rate reduced (load)')).toHaveLength(reduced.length);
    // load falls (cameras removed): raised again one step at a time, never lowered again meanwhile
    cams.splice(4);
    const before = applied.length;
    for (let i = 0; i < 200; i++) tick(0);
    const after = applied.slice(before);
    expect(after.length).toBeGreaterThan(0);
    // monotonic per camera: each change raises it (or brings it back to its configured rate)
    const last = new Map<string, number>();
    for (const [id, fps] of after) {
      const v = fps ?? 10;
      expect(v).toBeGreaterThan(last.get(id) ?? 0);
      last.set(id, v);
    }
    expect(cams.every((x) => x.reducedFps === null)).toBe(true);
    expect(lines.filter((l) => l === 'info analysis rate raised (load fell)')).toHaveLength(after.length);
  });

  it('reports cameras with rules starved when every camera is at its floor and the detector still falls behind, and clears it', () => {
    const { cams, runtime } = fakeCameras(2, new Set());
    const starved: string[][] = [];
    const inference: InferenceLoad = { processed: 0, dropped: 0, pending: 0 };
    const c = new AnalysisRateController({ runtime, inferenceLoad: () => ({ ...inference }), log: nullLogger, onStarved: (s) => starved.push(s.map((x) => x.name)), governor: { cooldownTicks: 0 } });
    c.tick();
    for (let i = 0; i < 40; i++) {
      inference.processed += 10;
      inference.dropped += 30;
      c.tick();
    }
    expect(cams.every((x) => x.reducedFps === 2)).toBe(true);
    expect(starved).toEqual([['Camera 0', 'Camera 1']]);
    inference.processed += 10;
    c.tick();
    expect(starved.at(-1)).toEqual([]);
  });

  it('never goes below the floor it is given (default: 2 fps)', () => {
    const { cams, runtime } = fakeCameras(2, new Set());
    const inference: InferenceLoad = { processed: 0, dropped: 0, pending: 0 };
    const c = new AnalysisRateController({ runtime, inferenceLoad: () => ({ ...inference }), log: nullLogger, floorFps: 0.5, governor: { cooldownTicks: 0 } });
    c.tick();
    for (let i = 0; i < 60; i++) {
      inference.processed += 10;
      inference.dropped += 30;
      c.tick();
    }
    expect(cams.map((x) => x.reducedFps)).toEqual([0.5, 0.5]);
  });

  it('governs nothing while the inference worker is not running', () => {
    const { applied, runtime } = fakeCameras(3, new Set());
    const c = new AnalysisRateController({ runtime, inferenceLoad: () => null, log: nullLogger });
    expect(c.tick()).toBeNull();
    expect(applied).toEqual([]);
  });
});
