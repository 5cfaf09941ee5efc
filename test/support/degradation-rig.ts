import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveFfmpeg } from '../../app/engine/ffmpeg/resolve-ffmpeg';
import type { ModelInputSpec } from '../../app/engine/inference/inference-api';
import { newInferenceEndpoint } from '../../app/engine/inference/inference-endpoint';
import type { InferenceWorkerStats } from '../../app/engine/inference/inference-worker-protocol';
import { modelInputSpec } from '../../app/engine/inference/model-input-filter';
import { ModelRegistry } from '../../app/engine/models/model-registry';
import { resolveModel } from '../../app/engine/models/model-resolve';
import { createCameraHarness, type CameraHarness } from './camera-harness';
import { fixtures, repoRoot } from './shared-fixtures';

/**
 * What the degradation integration tests share: two clips cut from the Intel clip (a person standing in view, the
 * second visitor at 24-42 s; and the empty room, 0-5 s), the real inference worker (YOLOX-Nano, one session) with
 * its latest stats, the model input spec, and a camera harness. `dispose` stops it all and removes the clips.
 */
export interface DegradationRig {
  busyClip: string;
  emptyClip: string;
  endpoint: string;
  spec: ModelInputSpec;
  harness: CameraHarness;
  /** The inference worker's last `stats` message, or null before the first. */
  stats(): InferenceWorkerStats | null;
  dispose(): Promise<void>;
}

export async function startDegradationRig(o: { name: string; sourceFps?: number; workerArgs?: string[] }): Promise<DegradationRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wr-${o.name}-`));
  const busyClip = path.join(dir, 'person.mp4');
  const emptyClip = path.join(dir, 'empty.mp4');
  const src = fixtures.video('intel_one_by_one_person.mp4');
  for (const [out, from, len] of [[busyClip, '24', '18'], [emptyClip, '0', '5']] as const) {
    const r = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-ss', from, '-i', src, '-t', len, '-an', ...(o.sourceFps ? ['-r', String(o.sourceFps)] : []), '-c:v', 'mjpeg', '-q:v', '5', '-y', out]);
    if (r.status !== 0) throw new Error(`cutting ${out} failed: ${r.stderr?.toString()}`);
  }
  const endpoint = newInferenceEndpoint();
  const proc: ChildProcess = fork(path.join(repoRoot, 'dist/node/inference-worker.cjs'), ['--endpoint', endpoint, '--model', fixtures.model('yolox_nano.onnx'), '--sessions', '1', ...(o.workerArgs ?? [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let stats: InferenceWorkerStats | null = null;
  proc.on('message', (m: { type?: string }) => {
    if (m.type === 'stats') stats = m as unknown as InferenceWorkerStats;
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the inference worker was not ready in 60 s')), 60_000);
    proc.on('message', (m: { type?: string }) => m.type === 'ready' && (clearTimeout(t), resolve()));
  });
  const reg = fs.mkdtempSync(path.join(os.tmpdir(), `wr-${o.name}-reg-`));
  const spec = modelInputSpec((await resolveModel(fixtures.model('yolox_nano.onnx'), new ModelRegistry({ dirs: [reg], modelsDir: reg }))).manifest);
  fs.rmSync(reg, { recursive: true, force: true });
  const harness = createCameraHarness({ statsIntervalMs: 500 });
  return {
    busyClip,
    emptyClip,
    endpoint,
    spec,
    harness,
    stats: () => stats,
    async dispose() {
      await harness.dispose();
      if (proc.exitCode === null) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.send({ type: 'shutdown' });
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
