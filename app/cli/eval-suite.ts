import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Detection } from '../shared/domain/detection';
import type { DetectionTiling } from '../shared/domain/detection-tiling';
import { parseMotGt, type MotFrames } from '../engine/eval/mot-gt';
import { loadSuite, SuiteInputError, type Suite, type SuiteClip } from '../engine/eval/suite-file';
import { reversedClip, scoreClip, suiteTotals, type AnalysedFrame, type ClipScore } from '../engine/eval/suite-score';
import { resolveFfmpeg } from '../engine/ffmpeg/resolve-ffmpeg';
import { probeSource, type SourceProbe } from '../engine/ffmpeg/source-probe';
import { openPipeline } from './analyze-pipeline';
import { fail } from './cli-common';
import { formatSuiteReport, suiteReportJson, type SuiteReport } from './eval-report';

export interface SuiteOptions {
  suite: string;
  out?: string;
  /** Folder where each clip's detections are kept, so a tracker or rules change re-scores in seconds. */
  cache?: string;
  model?: string;
  decoder?: 'yolox' | 'ultralytics';
  dirs: { 'models-dir'?: string; 'data-dir'?: string };
  score?: number;
  /** NMS IoU override (default: the model manifest's). */
  nmsIou?: number;
  /** Tiled detection for every clip (as a camera with that setting), null = off. */
  tiling: DetectionTiling | null;
  ep?: string;
  threads: number;
  /** Score every clip as a camera with motion-gated detection (the detector skips frames without relevant motion). */
  gate?: boolean;
}

interface PreparedClip {
  clip: SuiteClip;
  probe: SourceProbe;
  gt: MotFrames | null;
}

/** The repository folder (dist/node/eval.cjs -> ../..): `$SHARED` in a suite is `../shared` beside it. */
const repoRoot = (): string => path.resolve(__dirname, '..', '..');

/** Everything is checked before any clip is analysed: a bad suite or ground truth writes nothing. */
function prepare(o: SuiteOptions): { suite: Suite; clips: PreparedClip[] } {
  let suite: Suite;
  try {
    suite = loadSuite(o.suite, repoRoot());
  } catch (e) {
    if (e instanceof SuiteInputError) fail(e.message, 2);
    throw e;
  }
  const clips = suite.clips.map((clip): PreparedClip => {
    let probe: SourceProbe;
    try {
      probe = probeSource(clip.video);
    } catch (e) {
      return fail(`suite ${o.suite}, clip "${clip.name}": ${e instanceof Error ? e.message : String(e)}`, 2);
    }
    if (probe.isImage) fail(`suite ${o.suite}, clip "${clip.name}": ${clip.video} is an image, not a video`, 2);
    let gt: MotFrames | null = null;
    if (clip.gt) {
      try {
        gt = parseMotGt(fs.readFileSync(clip.gt, 'utf8'), probe.width, probe.height);
      } catch (e) {
        fail(`suite ${o.suite}, clip "${clip.name}": ground truth ${clip.gt}, ${e instanceof Error ? e.message : String(e)}`, 2);
      }
    }
    return { clip, probe, gt };
  });
  if (o.out) {
    const dir = path.dirname(path.resolve(o.out));
    if (!fs.existsSync(dir)) fail(`--out: folder ${dir} does not exist`, 2);
  }
  return { suite, clips };
}

const fileKey = (p: string) => {
  const st = fs.statSync(p);
  return `${path.resolve(p)}:${st.size}:${st.mtimeMs}`;
};

/**
 * The clip's video with its occluder painted in (a grey box, drawn by ffmpeg on every frame), made once into the
 * cache folder (or a temporary one, removed by `dispose`); the clip's own video when it has none.
 */
function occludedVideo(p: PreparedClip, cache: string | undefined): { video: string; dispose: () => void } {
  const box = p.clip.occluder;
  if (!box) return { video: p.clip.video, dispose: () => undefined };
  const dir = cache ?? fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-eval-'));
  const key = crypto.createHash('sha256').update(JSON.stringify({ video: fileKey(p.clip.video), box })).digest('hex').slice(0, 16);
  const out = path.join(dir, `${p.clip.name.replace(/[^\w.-]+/g, '_')}-occluded-${key}.mp4`);
  if (!fs.existsSync(out)) {
    fs.mkdirSync(dir, { recursive: true });
    const [x1, y1, x2, y2] = box;
    const draw = `drawbox=x=iw*${x1}:y=ih*${y1}:w=iw*${x2 - x1}:h=ih*${y2 - y1}:color=0x404040:t=fill`;
    const r = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-i', p.clip.video, '-an', '-vf', draw, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-y', `${out}.tmp.mp4`]);
    if (r.status !== 0) throw new Error(`painting the occluder into ${p.clip.video} failed: ${r.stderr?.toString().trim()}`);
    fs.renameSync(`${out}.tmp.mp4`, out);
  }
  return { video: out, dispose: () => (cache ? undefined : fs.rmSync(dir, { recursive: true, force: true })) };
}

/** Runs the detector over one clip at its analysis rate (tracking thresholds), or reads its cached output. */
async function analyse(p: PreparedClip, o: SuiteOptions): Promise<AnalysedFrame[]> {
  const occluded = occludedVideo(p, o.cache);
  try {
    return await analyseVideo(p, occluded.video, o);
  } finally {
    occluded.dispose();
  }
}

async function analyseVideo(p: PreparedClip, video: string, o: SuiteOptions): Promise<AnalysedFrame[]> {
  const classes = p.clip.classes ?? ['person'];
  const pipelineOptions = {
    source: video, model: o.model, decoder: o.decoder, dirs: o.dirs,
    postprocess: { classes, ...(o.score !== undefined ? { score: o.score } : {}), ...(o.nmsIou !== undefined ? { nmsIou: o.nmsIou } : {}) },
    ep: o.ep, threads: o.threads, rules: [], fps: p.clip.fps, startMs: 0, tiling: o.tiling,
  };
  const pipeline = await openPipeline(pipelineOptions);
  let cacheFile: string | null = null;
  if (o.cache) {
    const key = JSON.stringify({ v: 3, video: fileKey(video), model: pipeline.modelId, modelArg: o.model && fs.existsSync(o.model) ? fileKey(o.model) : o.model, fps: p.clip.fps, classes, score: o.score, nmsIou: o.nmsIou, tiling: o.tiling, decoder: o.decoder });
    cacheFile = path.join(o.cache, `${p.clip.name.replace(/[^\w.-]+/g, '_')}-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}.json`);
    if (fs.existsSync(cacheFile)) return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as AnalysedFrame[];
  }
  const frames: AnalysedFrame[] = [];
  for await (const f of pipeline.frames()) {
    frames.push({
      t: f.t,
      detections: f.detectorDetections.map((d): Detection => ({ cls: d.cls, classId: d.classId, score: d.score, box: d.box })),
      appearances: f.appearances.map((a) => (a ? Array.from(a, (v) => Math.round(v * 1e4) / 1e4) : null)),
      motion: f.motion,
    });
  }
  if (cacheFile) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(`${cacheFile}.tmp`, JSON.stringify(frames));
    fs.renameSync(`${cacheFile}.tmp`, cacheFile);
  }
  return frames;
}

/** Checks a suite file, its clips, ground truth and rules (exit 2 with a clear message on a problem), analysing nothing. */
export function checkSuite(o: SuiteOptions): void {
  prepare(o);
}

/**
 * Every clip of the suite analysed once (or read from --cache), then scored once per entry of `gates` (false: the
 * detector on every analysed frame; true: as `--gate`, as a motion-gated camera runs it) from the same detections.
 */
export async function scoreSuite(o: SuiteOptions, gates: readonly boolean[]): Promise<SuiteReport[]> {
  const { suite, clips } = prepare(o);
  const scores: ClipScore[][] = gates.map(() => []);
  for (const p of clips) {
    process.stderr.write(`eval: ${p.clip.name} (${path.basename(p.clip.video)}${p.clip.fps ? ` at ${p.clip.fps} fps` : ''}${p.clip.reverse ? ', played backwards' : ''})\n`);
    const sourceFps = p.probe.fps ?? p.clip.fps ?? 25;
    const analysed = await analyse(p, o);
    const { frames, gt } = p.clip.reverse ? reversedClip(analysed, p.gt, sourceFps) : { frames: analysed, gt: p.gt };
    gates.forEach((gate, i) => scores[i]!.push(scoreClip({
      name: p.clip.name, rules: p.clip.rules, frames, sourceFps, gt,
      classes: p.clip.classes ?? ['person'], tolerance: suite.tolerance, expect: p.clip.expect, empty: p.clip.empty,
      gate, options: { frameAspect: p.probe.width / p.probe.height },
    })));
  }
  return scores.map((s) => suiteReportJson(suite.file, suite.tolerance, s, suiteTotals(s)));
}

export async function runSuite(o: SuiteOptions): Promise<void> {
  const [json] = await scoreSuite(o, [o.gate ?? false]);
  process.stdout.write(formatSuiteReport(json!));
  if (o.out) {
    fs.writeFileSync(`${o.out}.tmp`, `${JSON.stringify(json, null, 2)}\n`);
    fs.renameSync(`${o.out}.tmp`, o.out);
  }
  process.stdout.write(`${JSON.stringify(json)}\n`);
}
