import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Detector } from '../engine/inference/detector';
import { modelInputSpec } from '../engine/inference/model-input-filter';
import { parseExecutionProviders } from '../engine/inference/ort-session';
import { probeSource, RawFrameReader } from '../engine/inference/raw-frame-reader';
import { resolveModel } from '../engine/models/model-resolve';
import { rulesStage, runStages, type FrameStage } from './analyze-stages';
import { fail, modelDirOptions, percentile, registryFrom, round } from './cli-common';

const HELP = `Usage: npm run analyze -- --source <file|url|image> [options]
  --model <path|id>     ONNX file, manifest .json or installed id (default: best installed)
  --decoder yolox|ultralytics  decoder for a bare .onnx without manifest (default: guessed from its shape)
  --fps N               frames per second to analyse (default: every frame)
  --out <file.jsonl>    one JSON line per analysed frame
  --classes all|a,b,c   classes to keep (default: person and vehicles)
  --score X             score threshold (default: the model's)
  --max-frames N        stop after N frames
  --rules <rules.json>  tracking/rules (accepted; not evaluated yet)
  --ep cpu|cuda,...     execution providers; --threads N intra-op threads (default 1)
  --models-dir / --data-dir  where installed models live
Stdout ends with one JSON summary line: {"frames","fps","detections","timings",...}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' }, model: { type: 'string' }, decoder: { type: 'string' }, fps: { type: 'string' },
      out: { type: 'string' }, rules: { type: 'string' }, classes: { type: 'string' }, score: { type: 'string' },
      'max-frames': { type: 'string' }, ep: { type: 'string' }, threads: { type: 'string' }, help: { type: 'boolean' },
      ...modelDirOptions,
    },
  });
  if (values.help) return void process.stdout.write(`${HELP}\n`);
  if (!values.source) fail(`--source is required\n${HELP}`, 2);
  const decoder = values.decoder as 'yolox' | 'ultralytics' | undefined;
  if (decoder && decoder !== 'yolox' && decoder !== 'ultralytics') fail('--decoder must be yolox or ultralytics', 2);
  const fps = values.fps ? Number(values.fps) : undefined;
  if (fps !== undefined && !(fps > 0 && fps <= 1000)) fail('--fps must be a positive number', 2);
  const classes = !values.classes ? undefined : values.classes === 'all' ? null : values.classes.split(',').map((s) => s.trim()).filter(Boolean);
  const maxFrames = values['max-frames'] ? Number(values['max-frames']) : undefined;

  const model = await resolveModel(values.model, registryFrom(values), decoder);
  const detector = await Detector.create({
    manifest: model.manifest,
    model: model.file,
    executionProviders: parseExecutionProviders(values.ep),
    intraOpNumThreads: Number(values.threads ?? 1) || 1,
    postprocess: { classes, ...(values.score ? { score: Number(values.score) } : {}) },
  });
  const stages: FrameStage[] = [];
  const rs = rulesStage(values.rules, (m) => process.stderr.write(`note: ${m}\n`));
  if (rs) stages.push(rs);

  const probe = probeSource(values.source);
  const reader = new RawFrameReader({ source: values.source, spec: modelInputSpec(model.manifest), probe, fps: probe.isImage ? undefined : fps, maxFrames });
  const out = values.out ? fs.createWriteStream(values.out) : null;
  const counts: Record<string, number> = {};
  const inferMs: number[] = [];
  const waitMs: number[] = [];
  const runMs: number[] = [];
  let frames = 0;
  const t0 = performance.now();
  let tWait = performance.now();
  try {
    for await (const f of reader.frames()) {
      waitMs.push(performance.now() - tWait);
      const r = await detector.detect({ data: f.data, srcWidth: probe.width, srcHeight: probe.height });
      inferMs.push(r.inferenceMs);
      runMs.push(r.timings.runMs);
      const dets = runStages(stages, f.index, f.t, r.detections);
      for (const d of dets) counts[d.cls] = (counts[d.cls] ?? 0) + 1;
      if (out) {
        const line = { frame: f.index, t: round(f.t, 3), detections: dets.map((d) => ({ cls: d.cls, score: round(d.score, 4), box: d.box.map((v) => round(v, 4)), ...(d.track !== undefined ? { track: d.track } : {}) })) };
        if (!out.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
      }
      frames++;
      tWait = performance.now();
    }
  } finally {
    await reader.stop();
    if (out) await new Promise((r) => out.end(r));
    await detector.dispose();
  }
  const wallS = (performance.now() - t0) / 1000;
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  const inf = sorted(inferMs);
  const summary = {
    frames,
    fps: round(frames / Math.max(wallS, 1e-6), 2),
    detections: counts,
    timings: {
      wallS: round(wallS, 3),
      inferenceMsMedian: round(percentile(inf, 50), 2),
      inferenceMsP95: round(percentile(inf, 95), 2),
      sessionRunMsMedian: round(percentile(sorted(runMs), 50), 2),
      decodeWaitMsMedian: round(percentile(sorted(waitMs), 50), 2),
    },
    model: model.manifest.id,
    executionProvider: detector.provider,
    source: { width: probe.width, height: probe.height, fps: probe.fps, image: probe.isImage },
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
