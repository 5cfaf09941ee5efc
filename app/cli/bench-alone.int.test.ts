import { describe, expect, it } from 'vitest';
import { fixtures } from '../../test/support/shared-fixtures';
import { tempDirs } from '../../test/support/temp-dirs';
import { modelInputSpec } from '../engine/inference/model-input-filter';
import { probeSource } from '../engine/ffmpeg/source-probe';
import { ModelRegistry } from '../engine/models/model-registry';
import { resolveModel } from '../engine/models/model-resolve';
import { referencePipeline } from './bench-alone';

const tmp = tempDirs('wr-bench-');

describe("bench's reference run (real ffmpeg + ONNX Runtime, no process boundary)", () => {
  it('analyses the clip flat out and splits its CPU between ffmpeg and this process', async () => {
    const dir = tmp();
    const model = await resolveModel(fixtures.model('yolox_nano.onnx'), new ModelRegistry({ dirs: [dir], modelsDir: dir }));
    const source = fixtures.video('intel_one_by_one_person.mp4');
    const probe = probeSource(source);
    const r = await referencePipeline({
      source,
      spec: modelInputSpec(model.manifest),
      analysisFps: probe.fps ?? 10,
      srcWidth: probe.width,
      srcHeight: probe.height,
      options: { manifest: model.manifest, model: model.file, executionProviders: ['cpu'], intraOpNumThreads: 1 },
      // one session runs in this thread (no thread entry needed); the app's worker runs one per core
      sessions: 1,
      threadEntry: '',
      seconds: 1,
      warmupSeconds: 1,
    });
    expect(r.frames).toBeGreaterThan(0);
    expect(r.fps).toBeGreaterThan(0);
    expect(r.cpuPerFrame.decode).toBeGreaterThan(0);
    expect(r.cpuPerFrame.inference).toBeGreaterThan(0);
    expect(r.cpuPerFrame.total).toBeCloseTo(r.cpuPerFrame.decode + r.cpuPerFrame.inference, 9);
  }, 60_000);
});
