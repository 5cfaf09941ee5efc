import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { LineCrossEvent } from '../shared/domain/analytics';
import { parseTilingArg, type DetectionTiling } from '../shared/domain/detection-tiling';
import type { Rule } from '../shared/domain/rules';
import { groundTruthCrossings, matchCrossings } from '../engine/eval/crossing-eval';
import { parseMotGt, type MotFrames } from '../engine/eval/mot-gt';
import { computeMotMetrics } from '../engine/eval/mot-metrics';
import { loadRulesFile, RulesInputError } from './source-analytics';
import { openPipeline } from './analyze-pipeline';
import { fail, modelDirOptions, round } from './cli-common';
import { formatEvalReport, type EvalReport } from './eval-report';
import { runSuite } from './eval-suite';

const HELP = `Usage: npm run eval -- --suite <suite.json> [--out <table.json>] [--cache <dir>] [options]
       npm run eval -- --source <video> --gt <MOT gt.txt> [options]

--suite runs every clip of a suite file (video, MOT ground truth or hand counts, rules, analysis fps; see
test/eval/suite.json and app/engine/rules/README.md) and prints one table: per clip and line the ground-truth
crossings, matched, missed and spurious, with person-box recall and precision, MOTA, IDF1 and ID switches, and a
total row. --out writes the table as JSON; --cache <dir> keeps each clip's detections so a tracker or rules
change is re-scored in seconds. A bad suite, ground truth or rules file: exit 2, nothing written.

--source the same detection + tracking (+ rules) path as \`analyze --rules\` over EVERY frame of the video (ground
truth frame N = decoded frame N-1) and scores it against MOTChallenge ground truth.
  --rules <rules.json>  line rules: counted crossings matched one to one to the ground-truth crossings
  --tolerance S         crossing match tolerance in seconds (default 1)
  --classes a,b         tracked classes scored against the ground truth (default: person)
  --nms IOU             NMS overlap above which the weaker of two boxes is dropped (default: the model's)
  --gate                (--suite) score as cameras with motion-gated detection run (the detector skips frames where nothing
                        moves near a rule and no track is live); prints how many frames it ran on
  --model, --decoder, --score, --tiles, --ep, --threads, --models-dir, --data-dir  as for analyze
Prints a table, then one JSON line: {"mot":{...},"crossings":{...}}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string' }, gt: { type: 'string' }, rules: { type: 'string' }, tolerance: { type: 'string' },
      model: { type: 'string' }, decoder: { type: 'string' }, classes: { type: 'string' }, score: { type: 'string' },
      ep: { type: 'string' }, threads: { type: 'string' }, help: { type: 'boolean' }, tiles: { type: 'string' },
      suite: { type: 'string' }, out: { type: 'string' }, cache: { type: 'string' }, nms: { type: 'string' }, gate: { type: 'boolean' },
      ...modelDirOptions,
    },
  });
  if (values.help) return void process.stdout.write(`${HELP}\n`);
  const decoder = values.decoder as 'yolox' | 'ultralytics' | undefined;
  if (decoder && decoder !== 'yolox' && decoder !== 'ultralytics') fail('--decoder must be yolox or ultralytics', 2);
  const score = values.score !== undefined ? Number(values.score) : undefined;
  if (score !== undefined && !(score >= 0 && score <= 1)) fail('--score must be between 0 and 1', 2);
  const nmsIou = values.nms !== undefined ? Number(values.nms) : undefined;
  if (nmsIou !== undefined && !(nmsIou > 0 && nmsIou <= 1)) fail('--nms must be an IoU above 0 and at most 1', 2);
  let tiling: DetectionTiling | null = null;
  try {
    tiling = values.tiles ? parseTilingArg(values.tiles) : null;
  } catch (e) {
    fail(`--tiles: ${(e as Error).message}`, 2);
  }
  if (values.suite) {
    if (values.source || values.gt || values.rules) fail('--suite names its clips, ground truth and rules itself: leave out --source, --gt and --rules', 2);
    return runSuite({ suite: values.suite, out: values.out, cache: values.cache, model: values.model, decoder, dirs: values, score, nmsIou, tiling, ep: values.ep, threads: Number(values.threads ?? 1) || 1, gate: values.gate });
  }
  if (!values.source || !values.gt) fail(`--suite, or --source and --gt, are required\n${HELP}`, 2);
  const tolerance = values.tolerance !== undefined ? Number(values.tolerance) : 1;
  if (!(tolerance >= 0)) fail('--tolerance must be a non-negative number of seconds', 2);
  const classes = (values.classes ?? 'person').split(',').map((s) => s.trim()).filter(Boolean);
  let rules: Rule[] = [];
  if (values.rules) {
    try {
      rules = loadRulesFile(values.rules);
    } catch (e) {
      if (e instanceof RulesInputError) fail(e.message, 2);
      throw e;
    }
  }
  let gtText: string;
  try {
    gtText = fs.readFileSync(values.gt, 'utf8');
  } catch (e) {
    return fail(`cannot read ground truth ${values.gt}: ${e instanceof Error ? e.message : String(e)}`, 2);
  }

  const pipeline = await openPipeline({
    source: values.source, model: values.model, decoder, dirs: values,
    postprocess: { classes, ...(score !== undefined ? { score } : {}) },
    ep: values.ep, threads: Number(values.threads ?? 1) || 1, rules, startMs: 0, tiling,
  });
  const { probe } = pipeline;
  if (probe.isImage) fail('--source must be a video', 2);
  let gt: MotFrames;
  try {
    gt = parseMotGt(gtText, probe.width, probe.height);
  } catch (e) {
    return fail(`ground truth ${values.gt}: ${e instanceof Error ? e.message : String(e)}`, 2);
  }
  const hyp: MotFrames = new Map();
  const counted: LineCrossEvent[] = [];
  let frames = 0;
  let rate = probe.fps ?? 0;
  for await (const f of pipeline.frames()) {
    hyp.set(f.index, f.tracks.filter((t) => t.confirmed && !t.predicted).map((t) => ({ id: t.id, box: t.box })));
    for (const e of f.events) if (e.type === 'line.cross') counted.push(e);
    if (f.index > 0 && !rate) rate = f.index / f.t;
    frames++;
  }
  const mot = computeMotMetrics(gt, hyp);
  const truth = groundTruthCrossings(rules, gt, rate || 1);
  const m = matchCrossings(counted, truth, tolerance);
  const report: EvalReport = {
    source: values.source,
    frames,
    fps: round(rate, 3),
    mot: {
      mota: round(mot.mota, 4), idf1: round(mot.idf1, 4), idSwitches: mot.idSwitches,
      precision: round(mot.matches / Math.max(1, mot.hypBoxes), 4), recall: round(mot.matches / Math.max(1, mot.gtBoxes), 4),
      falsePositives: mot.falsePositives, falseNegatives: mot.misses, motp: round(mot.motp, 4),
      gtTracks: mot.gtIds, tracks: mot.hypIds, gtBoxes: mot.gtBoxes, hypBoxes: mot.hypBoxes,
    },
    crossings: Object.fromEntries(
      rules.filter((r) => r.type === 'line').map((r) => {
        const mine = (e: LineCrossEvent) => e.rule === r.id;
        const pick = (e: LineCrossEvent) => ({ dir: e.dir, t: round(e.t, 2), track: e.track });
        const counts = (l: LineCrossEvent[]) => ({ in: l.filter((e) => e.dir === 'in').length, out: l.filter((e) => e.dir === 'out').length });
        return [r.id, {
          counted: counts(counted.filter(mine)),
          truth: counts(truth.filter(mine)),
          matched: m.matched.filter((p) => mine(p.truth)).length,
          missed: m.missed.filter(mine).map(pick),
          spurious: m.spurious.filter(mine).map(pick),
        }];
      }),
    ),
    toleranceS: tolerance,
  };
  process.stdout.write(formatEvalReport(report));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
