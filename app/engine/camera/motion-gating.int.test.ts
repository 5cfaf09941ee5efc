import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import type { LineCrossEvent } from '../../shared/domain/analytics';
import type { FrameHeader } from '../../shared/domain/detection';
import { RuleSchema, type Rule } from '../../shared/domain/rules';
import { resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import type { ModelInputSpec } from '../inference/inference-api';
import { createInferenceClient } from '../inference/inference-client';
import { newInferenceEndpoint } from '../inference/inference-endpoint';
import { modelInputSpec } from '../inference/model-input-filter';
import { ModelRegistry } from '../models/model-registry';
import { resolveModel } from '../models/model-resolve';
import { AnalyticsStage } from './analytics-stage';
import { CameraSession } from './camera-session';
import { defaultCameraWorkerOptions } from './camera-worker-protocol';

// Motion-gated detection on the real frame path: the camera's ffmpeg, the motion check on its model-input bytes,
// the detection gate with the analytics stage's live tracks, the real inference worker (YOLOX-Nano on ONNX Runtime),
// tracker and rules. The clip is the first 16 s of the Intel clip: an empty room (0 – 5.5 s), then the first
// visitor walks in from the bottom edge (first visible at 6.0 s) over a line at y = 0.65 (fixtures README).
// Paced by inference (no frame dropped), so the gated and the ungated run see the same frames.

const FPS = 5;
const line: Rule = RuleSchema.parse({ id: 'in', type: 'line', points: [[0, 0.65], [1, 0.65]], anchor: 'center' });

interface Seen {
  header: FrameHeader;
}

describe('motion-gated detection on a real camera: empty scene, then a person walks in', () => {
  let proc: ChildProcess;
  let endpoint: string;
  let spec: ModelInputSpec;
  let dir: string;
  let clip: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-gate-int-'));
    clip = path.join(dir, 'empty-then-person.mp4');
    const cut = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-i', fixtures.video('intel_one_by_one_person.mp4'), '-t', '16', '-an', '-c', 'copy', '-y', clip]);
    expect(cut.status, cut.stderr?.toString()).toBe(0);
    endpoint = newInferenceEndpoint();
    proc = fork(path.join(repoRoot, 'dist/node/inference-worker.cjs'), ['--endpoint', endpoint, '--model', fixtures.model('yolox_nano.onnx'), '--sessions', '1'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no ready')), 60_000);
      proc.on('message', (m: { type?: string }) => m.type === 'ready' && (clearTimeout(t), resolve()));
    });
    const reg = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-gate-reg-'));
    spec = modelInputSpec((await resolveModel(fixtures.model('yolox_nano.onnx'), new ModelRegistry({ dirs: [reg], modelsDir: reg }))).manifest);
  }, 120_000);
  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const gone = new Promise((r) => proc.once('exit', r));
      proc.send({ type: 'shutdown' });
      await gone;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** One pass over the clip (the first ffmpeg run), as a camera worker runs it: session + analytics stage. */
  async function runCamera(gated: boolean): Promise<{ frames: Seen[]; crossings: LineCrossEvent[] }> {
    const id = gated ? 'gated' : 'ungated';
    const stage = new AnalyticsStage(id, [line]);
    const frames: Seen[] = [];
    const crossings: LineCrossEvent[] = [];
    let runs = 0;
    const session = new CameraSession(
      { id, name: id, source: clip, rtspTransport: 'tcp', analysisFps: FPS, enabled: true, rules: [line], inference: { endpoint, spec }, motionGating: { enabled: gated, sensitivity: 'medium' } },
      { ...defaultCameraWorkerOptions, pacing: 'inference' },
      {
        ffmpegPath: () => resolveFfmpeg().path,
        createInferenceClient,
        onState: (s) => {
          if (s.type === 'connecting') runs += 1;
        },
        onFrame: (h, j, looks) => {
          if (runs > 1) return; // the file ended and the camera started it again: one pass is enough
          const out = stage.process(h, j, looks);
          frames.push({ header: h });
          for (const e of out.report?.events ?? []) if (e.type === 'line.cross') crossings.push(e);
        },
        onStats() {},
        onFfmpeg() {},
        log() {},
        liveTracks: () => stage.liveTracks(),
      },
    );
    session.start();
    const end = Date.now() + 240_000;
    while (!(runs > 1 || frames.some((f) => f.header.pts >= 15.4))) {
      if (Date.now() > end) throw new Error(`timed out after ${frames.length} frames`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await session.dispose();
    return { frames, crossings };
  }

  it('detects the person within 2 analysis intervals of entering, tracks them, and counts the line exactly as without gating', async () => {
    const ungated = await runCamera(false);
    const gated = await runCamera(true);
    // gating engaged: still frames of the empty room went out without a detector run, with detections []
    const idle = gated.frames.filter((f) => f.header.gated === 'idle');
    expect(idle.length).toBeGreaterThan(5);
    expect(idle.every((f) => Array.isArray(f.header.detections) && f.header.detections.length === 0)).toBe(true);
    expect(ungated.frames.some((f) => f.header.gated !== undefined)).toBe(false);
    const firstPerson = (fs_: Seen[]) => fs_.find((f) => (f.header.detections ?? []).some((d) => d.cls === 'person'))?.header.pts;
    const entered = firstPerson(ungated.frames);
    expect(entered).toBeDefined();
    expect(entered!).toBeGreaterThan(5);
    const found = firstPerson(gated.frames);
    expect(found).toBeDefined();
    expect(found!).toBeLessThanOrEqual(entered! + 2 / FPS + 1e-6);
    // tracked: the person carries a track id on the gated camera's frames
    expect(gated.frames.some((f) => (f.header.detections ?? []).some((d) => d.cls === 'person' && d.track !== undefined))).toBe(true);
    // counted exactly as without gating
    expect(ungated.crossings.length).toBeGreaterThan(0);
    expect(gated.crossings.map((e) => e.dir)).toEqual(ungated.crossings.map((e) => e.dir));
  }, 600_000);
});
