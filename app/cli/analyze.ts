import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatTiling, parseTilingArg, type DetectionTiling } from '../shared/domain/detection-tiling';
import type { Rule } from '../shared/domain/rules';
import { countersJson, eventJson, loadRulesFile, occupancyJson, RulesInputError } from './source-analytics';
import { openPipeline } from './analyze-pipeline';
import { FaceStage, fullFrames, type FaceLine } from './analyze-faces';
import { fail, modelDirOptions, percentile, round } from './cli-common';
import { defaultFootageStart, footageKeyOf, openFootageSink, type EventSink } from './event-sink';

const HELP = `Usage: npm run analyze -- --source <file|url|image> [options]
  --model <path|id>     ONNX file, manifest .json or installed id (default: best installed)
  --decoder yolox|ultralytics  decoder for a bare .onnx without manifest (default: guessed from its shape)
  --fps N               frames per second to analyse (default: every frame, i.e. the source rate)
  --out <file.jsonl>    one JSON line per analysed frame
  --classes all|a,b,c   classes to keep (default: person and vehicles)
  --score X             score threshold of reported detections (default: the model's)
  --max-frames N        stop after N frames
  --rules <rules.json>  track objects and evaluate line/zone rules: --out lines get "track" on tracked
                        detections, "events" and (with zones) "occupancy"; the summary gets "rules". The tracker also sees
                        detections down to score 0.1 (ByteTrack's second stage); reported detections keep
                        the normal threshold. A bad rules file exits with code 2 before analysing.
  --data-dir <dir>      with --rules: import the events into that data dir (its models are used too)
  --camera <name>       camera name for the import (default: source file name)
  --start <ISO time>    wall-clock time of the footage start (default: file mtime minus duration)
  --tiles CxR[+whole]   tiled detection as a camera with that setting runs it, e.g. 2x1 (two overlapping
                        tiles side by side, about 2x the detection work) or 2x2+whole (four tiles and the whole
                        frame, about 5x); @overlap sets the overlap (default 0.2 of a tile); default off
  --faces               look for faces: --out lines get "faces": [{"box","track","quality","match"}] (a face
                        failing a quality gate also gets "rejected" with the reason, and is never matched)
  --watchlist <dir>     with --faces: photos named after the person (<name>.jpg, more as <name>.2.jpg), each
                        with exactly one usable face; matches go to "match" and the summary's "faceMatches".
                        Nothing about faces is written anywhere but --out and stdout
  --ep cpu|cuda,...     execution providers; --threads N intra-op threads (default 1)
  --models-dir          where installed models live
Stdout ends with one JSON summary line: {"frames","fps","detections","timings",...,"rules"?}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' }, model: { type: 'string' }, decoder: { type: 'string' }, fps: { type: 'string' },
      out: { type: 'string' }, rules: { type: 'string' }, classes: { type: 'string' }, score: { type: 'string' },
      'max-frames': { type: 'string' }, ep: { type: 'string' }, threads: { type: 'string' }, help: { type: 'boolean' },
      camera: { type: 'string' }, start: { type: 'string' }, tiles: { type: 'string' },
      faces: { type: 'boolean' }, watchlist: { type: 'string' },
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
  const score = values.score !== undefined ? Number(values.score) : undefined;
  if (score !== undefined && !(score >= 0 && score <= 1)) fail('--score must be between 0 and 1', 2);
  let startMs: number | undefined;
  if (values.start !== undefined) {
    startMs = Date.parse(values.start);
    if (!Number.isFinite(startMs)) fail(`--start must be an ISO date-time, got "${values.start}"`, 2);
  }
  if ((values.camera || values.start) && !(values.rules && values['data-dir'])) fail('--camera/--start need --rules and --data-dir (import mode)', 2);

  if (values.watchlist && !values.faces) fail('--watchlist needs --faces', 2);

  let tiling: DetectionTiling | null = null;
  try {
    tiling = values.tiles ? parseTilingArg(values.tiles) : null;
  } catch (e) {
    fail(`--tiles: ${(e as Error).message}`, 2);
  }

  let rules: Rule[] | null = null;
  if (values.rules) {
    try {
      rules = loadRulesFile(values.rules);
    } catch (e) {
      if (e instanceof RulesInputError) fail(e.message, 2);
      throw e;
    }
  }

  const pipeline = await openPipeline({
    source: values.source, model: values.model, decoder, dirs: values, fps, maxFrames,
    postprocess: { classes, ...(score !== undefined ? { score } : {}) },
    ep: values.ep, threads: Number(values.threads ?? 1) || 1, rules, startMs, tiling,
  });
  const probe = pipeline.probe;
  let faceStage: FaceStage | null = null;
  if (values.faces) {
    try {
      faceStage = await FaceStage.open({ watchlist: values.watchlist, dirs: values, threads: Number(values.threads ?? 1) || 1 });
    } catch (e) {
      fail(`faces: ${(e as Error).message}`, 2);
    }
  }
  const faceFrames = faceStage ? fullFrames(values.source, probe.isImage, probe.isImage ? undefined : fps, maxFrames) : null;
  let sink: EventSink | null = null;
  if (rules && values['data-dir']) {
    const start = startMs !== undefined ? new Date(startMs) : defaultFootageStart(values.source, probe.durationS);
    const cameraName = values.camera ?? path.basename(values.source, path.extname(values.source));
    sink = openFootageSink({ dataDir: values['data-dir'], cameraName, start, footageKey: footageKeyOf(values.source, fs.readFileSync(values.rules!, 'utf8')), sourcePath: path.resolve(values.source), modelId: pipeline.modelId });
  }

  const out = values.out ? fs.createWriteStream(values.out) : null;
  const counts: Record<string, number> = {};
  const inferMs: number[] = [];
  const waitMs: number[] = [];
  const runMs: number[] = [];
  let frames = 0;
  let events = 0;
  const t0 = performance.now();
  try {
    for await (const f of pipeline.frames()) {
      waitMs.push(f.waitMs);
      inferMs.push(f.inferenceMs);
      runMs.push(f.runMs);
      for (const d of f.detections) counts[d.cls] = (counts[d.cls] ?? 0) + 1;
      events += f.events.length;
      sink?.write(f.events);
      let faces: FaceLine[] | null = null;
      if (faceStage && faceFrames) {
        const full = await faceFrames.next();
        faces = full.done ? [] : await faceStage.frame(full.value.image, f.detections);
      }
      if (out) {
        const line = {
          frame: f.index,
          t: round(f.t, 3),
          detections: f.detections.map((d) => ({ cls: d.cls, score: round(d.score, 4), box: d.box.map((v) => round(v, 4)), ...(d.track !== undefined ? { track: d.track } : {}) })),
          ...(rules ? { events: f.events.map((e) => eventJson(e, round)) } : {}),
          ...(faces ? { faces } : {}),
        };
        const occupancy = occupancyJson(f.counters);
        if (occupancy) Object.assign(line, { occupancy });
        if (!out.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      frames++;
    }
  } finally {
    if (out) await new Promise((r) => out.end(r));
    await faceFrames?.return(undefined);
    await faceStage?.close();
  }
  if (sink) process.stderr.write(`note: ${await sink.close()}\n`);
  const wallS = (performance.now() - t0) / 1000;
  const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
  const inf = sorted(inferMs);
  const counters = pipeline.counters();
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
    model: pipeline.modelId,
    tiles: formatTiling(tiling),
    executionProvider: pipeline.provider,
    source: { width: probe.width, height: probe.height, fps: probe.fps, image: probe.isImage },
    ...(counters ? { rules: countersJson(counters), events } : {}),
    ...(faceStage ? { faceMatches: faceStage.matches } : {}),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
