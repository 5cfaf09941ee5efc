import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { modelInputSpec } from '../engine/inference/model-input-filter';
import { defaultSessionCount, isDetectorThread, runDetectorThread } from '../engine/inference/detector-pool';
import { parseExecutionProviders } from '../engine/inference/ort-session';
import { probeSource } from '../engine/ffmpeg/source-probe';
import { hasWorkerMallocEnv, workerMallocEnv } from '../engine/process/malloc-env';
import { resolveModel } from '../engine/models/model-resolve';
import { resolveModelsDir } from '../engine/models/models-dir';
import { formatTiling, modelInputsPerFrame, parseTilingArg, tileRects, type DetectionTiling } from '../shared/domain/detection-tiling';
import { decodeAlone, inferenceAlone, inferenceAloneSingle, isBenchInferenceThread, referencePipeline, runBenchInferenceThread } from './bench-alone';
import { runPipeline, startInferenceWorker, type PipelineResult } from './bench-pipeline';
import { uiLatency, type UiLatency } from './bench-ui';
import { faceStepCost, faceStepRows } from './bench-faces';
import { recordingCost, type RecordingCost } from './bench-recording';
import { CameraMix, camerasHeld, prepareMixClips, SOAK_KINDS, soakSamples, soakStep, soakSummary } from './bench-scale';
import { countingFigures, formatCountingComparison, sameCounting } from './bench-counting';
import { checkSuite, scoreSuite } from './eval-suite';
import { resolveFfmpeg } from '../engine/ffmpeg/resolve-ffmpeg';
import type { Logger } from '../engine/logging/logger';
import { fail, modelDirOptions, percentile, registryFrom, round } from './cli-common';

const HELP = `Usage: npm run bench -- [--clip <video>] [--model <path|id>] [--seconds N] [--warmup N] [--ep cpu] [--threads N] [--sessions N] [--ui] [--tiles CxR] [--tiles-only] [--only recording|faces] [--recording-clip <video>]
       npm run bench -- --scale [--scale-max N] [--fps N] [--seconds N] [--warmup N] [--suite <suite.json>]
       npm run bench -- --soak <minutes> [--cameras N] [--fps N]
  --clip      looped as every camera (default: WATCHROOM_BENCH_CLIP, else ../shared/fixtures/videos/intel_one_by_one_person.mp4)
  --model     default: WATCHROOM_BENCH_MODEL, else the installed yolox-nano, else ../shared/models/yolox_nano.onnx, else the best installed
  --seconds   length of each measured window (default 10)
  --warmup    seconds each pipeline runs before its window opens (default 5): the workers' JavaScript is compiled
              to optimised code over the first seconds (measured: the camera worker's CPU per frame falls by about
              0.3 ms, the host's by 0.2 ms), and an officer's camera runs for hours
  --fps       analysis fps of the real-time runs (default 10)
  --threads   ORT intra-op threads per session (default 1, as the app)
  --sessions  parallel ORT sessions in the inference worker (default: one per core, max 4, on CPU)
  --ui        also measure frame decoded -> overlay painted through the headless host and Chromium's Live page
              (real time, 1 and 4 cameras at --fps; needs playwright-core and Chromium)
  --tiles     the tiled detection row: a camera with this setting (default 2x1; off: no row), decode alone with
              its tiled ffmpeg command + inference alone on one session, its CPU per frame against the untiled one
  --tiles-only  measure only that: untiled and tiled, decode + one session each (--seconds each), then exit
  --only recording  measure only the recording phase: one live camera (camera worker + ffmpeg, no detection) on
              the 1080p clip in real time, without and then with its recorder (stream copy), --seconds each; prints
              recording's CPU as % of one core against the 3 % target (also run last in the full bench)
  --only faces  measure only the face step (watchlist) in the inference worker, where it runs: person detection
              from --cameras (default 2) cameras at --fps, then flat out, each alone and with face looks sent as fast
              as the worker answers them (--seconds each, default 10); prints detection's ratio with/alone against the
              0.9 limit (exit code 1 below it), looks a second, the worker's CPU per look (display JPEG decode + face
              models on one head region) and the share of one core at 1, 4 and 10 looks a second (--clip, default the
              corridor clip; --model, --sessions, --threads, --ep as for the full bench)
  --recording-clip  the recording phase's clip (default ../shared/fixtures/videos/mot15_adl_rundle_6.mp4, 1080p)
  --scale     cameras held: a mix of looped clips cut from the Intel clip (--clip), 1 in 4 busy (people walking), the
              rest an empty room, live at --fps; the largest count held in real time (no busy camera dropped a frame,
              every camera emitted at least 90 % of its frames), at most --scale-max (default 32), with motion gating
              off (from 1 camera, doubling while held, then bisecting between the last count held and the first not
              held), then on (the same from the ungated count, which gating always holds); one window per count
              measured; prints both, their ratio, cores per camera; then the counting figures of gating on against
              off on the ground-truth clips of --suite (default test/eval/suite.json; the eval suite's code, this
              model: each clip analysed once, scored both ways), per clip and line side by side and whether they are
              identical; JSON line gets "scale" (with "crossingsUngated", "crossingsGated", "crossingsIdentical")
  --soak      the scale mix (gating on, --cameras, default 4) for that many minutes, RSS per process kind sampled
              every minute: RSS at the 10th minute (a sixth of a shorter soak) and at the end, growth in % against the
              2 % limit, the slope per hour after that mark, cores per kind; JSON line gets "soak" with every sample
Phases: decode alone (the camera worker's ffmpeg command, both outputs, read flat out); inference alone (one session,
then as many parallel sessions as the worker runs); a reference run: that ffmpeg command read by the bench process
itself into the worker's detector threads, flat out, with no camera worker, inference worker or host in the frame path
(what the machine gives for this work with no process boundary); the pipeline flat out with 1 camera worker; decode
and inference alone again; the pipeline flat out with 4 camera workers; decode and inference alone a third time (each
flat-out run is judged against the mean of the alone-figures measured just before and just after it; their drift is
printed); real time with 1 and 4 camera workers at --fps. Prints a table for people, then one JSON line.
WATCHROOM_BENCH_CPU_PROF_DIR=<dir> writes V8 CPU profiles of the inference and camera workers.`;

const SHARED_MODEL = '../shared/models/yolox_nano.onnx';

async function defaultModelArg(values: { 'models-dir'?: string; 'data-dir'?: string }): Promise<string | undefined> {
  if (process.env.WATCHROOM_BENCH_MODEL) return process.env.WATCHROOM_BENCH_MODEL;
  const installed = (await registryFrom(values).list()).find((e) => e.manifest.id === 'yolox-nano' && e.status === 'installed');
  if (installed) return 'yolox-nano';
  return fs.existsSync(SHARED_MODEL) ? SHARED_MODEL : undefined;
}

const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
const pcts = (l: { p50: number; p95: number; p99: number }) => `${l.p50}/${l.p95}/${l.p99}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { clip: { type: 'string' }, model: { type: 'string' }, seconds: { type: 'string' }, warmup: { type: 'string' }, fps: { type: 'string' }, scale: { type: 'boolean' }, 'scale-max': { type: 'string' }, suite: { type: 'string' }, soak: { type: 'string' }, cameras: { type: 'string' }, ep: { type: 'string' }, threads: { type: 'string' }, sessions: { type: 'string' }, ui: { type: 'boolean' }, tiles: { type: 'string' }, 'tiles-only': { type: 'boolean' }, only: { type: 'string' }, 'recording-clip': { type: 'string' }, help: { type: 'boolean' }, ...modelDirOptions },
  });
  if (values.help) return void process.stdout.write(`${HELP}\n`);
  const recordingClip = values['recording-clip'] ?? '../shared/fixtures/videos/mot15_adl_rundle_6.mp4';
  const benchLog = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  if (values.only !== undefined) {
    if (values.only === 'faces') {
      const faceClip = values.clip ?? '../shared/fixtures/videos/intel_face_demographics_walking_preview.mp4';
      if (!fs.existsSync(faceClip)) fail(`faces clip not found: ${faceClip} (pass --clip)`, 2);
      const faceModelArg = values.model ?? (await defaultModelArg(values));
      const faceModel = await resolveModel(faceModelArg, registryFrom(values));
      const faceProviders = parseExecutionProviders(values.ep);
      const faceWorkerArgs = ['--threads', String(Math.max(1, Number(values.threads ?? 1) || 1)), '--sessions', String(Math.max(1, Number(values.sessions ?? defaultSessionCount(faceProviders)) || 1)), ...(values.ep ? ['--ep', values.ep] : []), ...(values['models-dir'] ? ['--models-dir', values['models-dir']] : []), ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : [])];
      const r = await faceStepCost({
        clip: faceClip,
        modelsDir: resolveModelsDir({ modelsDir: values['models-dir'], dataDir: values['data-dir'] }),
        seconds: Math.max(3, Number(values.seconds ?? 10) || 10),
        cameras: Math.max(1, Number(values.cameras ?? 2) || 2),
        fps: Math.max(0.5, Number(values.fps ?? 10) || 10),
        spec: modelInputSpec(faceModel.manifest),
        startWorker: () => startInferenceWorker(faceModelArg ?? faceModel.file, faceWorkerArgs),
        log: benchLog,
      });
      process.stdout.write(`${faceStepRows(r)}\n${JSON.stringify({ faces: r })}\n`);
      if (!r.ok) process.exitCode = 1;
      return;
    }
    if (values.only !== 'recording') fail(`--only: unknown phase "${values.only}" (known: recording, faces)`, 2);
    if (!fs.existsSync(recordingClip)) fail(`recording clip not found: ${recordingClip} (pass --recording-clip)`, 2);
    const r = await recordingCost({ clip: recordingClip, seconds: Math.max(5, Number(values.seconds ?? 20) || 20), warmupSeconds: Math.max(1, Number(values.warmup ?? 5) || 5), log: benchLog });
    process.stdout.write(`${recordingRows(r)}\n${JSON.stringify({ recording: r })}\n`);
    return;
  }
  const clip = values.clip ?? process.env.WATCHROOM_BENCH_CLIP ?? '../shared/fixtures/videos/intel_one_by_one_person.mp4';
  if (!fs.existsSync(clip)) fail(`bench clip not found: ${clip} (pass --clip or set WATCHROOM_BENCH_CLIP)`, 2);
  const seconds = Math.max(3, Number(values.seconds ?? 10) || 10);
  const warmupSeconds = Math.max(1, Number(values.warmup ?? 5) || 5);
  const rtFps = Math.max(0.5, Number(values.fps ?? 10) || 10);
  const cores = os.availableParallelism();
  const modelArg = values.model ?? (await defaultModelArg(values));
  const model = await resolveModel(modelArg, registryFrom(values));
  const spec = modelInputSpec(model.manifest);
  const providers = parseExecutionProviders(values.ep);
  const threads = Math.max(1, Number(values.threads ?? 1) || 1);
  const sessions = Math.max(1, Number(values.sessions ?? defaultSessionCount(providers)) || 1);
  const probe = probeSource(clip);
  // Flat out analyses every frame of the clip: its own rate through the same fps filter.
  const flatFps = probe.fps ?? 25;
  const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
  log(`model ${model.manifest.id} (${model.file}); clip ${clip} ${probe.width}x${probe.height} @ ${round(flatFps, 2)} fps; ${cores} cores; load ${os.loadavg()[0]?.toFixed(2)}`);
  let tiling: DetectionTiling | null = null;
  try {
    tiling = parseTilingArg(values.tiles ?? '2x1');
  } catch (e) {
    fail(`--tiles: ${(e as Error).message}`, 2);
  }
  const detectorOptions = { manifest: model.manifest, model: model.file, executionProviders: providers, intraOpNumThreads: threads };
  // A tiled camera's cost: its tiled ffmpeg command alone, and its tiled frame on one session alone (the untiled
  // figures beside it are measured the same way).
  const measureDetectionCost = async (t: DetectionTiling | null) => {
    log(`${t ? `tiled detection ${formatTiling(t)}` : 'untiled detection'}: decode alone, then inference alone on 1 session (${seconds} s each)`);
    const dec = await decodeAlone({ source: clip, spec, analysisFps: flatFps, seconds, tiling: t });
    const inf = await inferenceAloneSingle({ options: detectorOptions, frame: dec.first, srcWidth: probe.width, srcHeight: probe.height, seconds, ...(t ? { tiles: tileRects(probe.width, probe.height, t) } : {}) });
    return { decCpu: dec.cpuPerFrame, infCpu: inf.single.cpuPerFrame, wallMedianMs: percentile(inf.single.walls, 50), wallP95Ms: percentile(inf.single.walls, 95) };
  };
  type DetectionCost = Awaited<ReturnType<typeof measureDetectionCost>>;
  const tiledRow = (t: DetectionTiling, c: DetectionCost, untiledCpu: number): string[] => [
    `tiled detection ${formatTiling(t)} (${modelInputsPerFrame(t)} inputs/frame), decode + 1 session alone`,
    (1000 / c.wallMedianMs).toFixed(1),
    ms(c.decCpu + c.infCpu),
    ms(c.decCpu),
    ms(c.infCpu),
    '', '', '', '',
    `wall ${c.wallMedianMs.toFixed(1)}/${c.wallP95Ms.toFixed(1)}`,
    '', '',
    `${((c.decCpu + c.infCpu) / untiledCpu).toFixed(2)}x untiled CPU/frame`,
    '',
  ];
  // cameras held and the soak need none of the phases below
  if (values.scale || values.soak !== undefined) {
    await scaleAndSoak({ values, modelArg: modelArg ?? model.file, model: model.manifest.id, spec, clip, seconds, warmupSeconds, rtFps, threads, sessions, log });
    return;
  }

  if (values['tiles-only']) {
    if (!tiling) fail('--tiles-only needs --tiles CxR', 2);
    const untiled = await measureDetectionCost(null);
    const tiled = await measureDetectionCost(tiling);
    const untiledCpu = untiled.decCpu + untiled.infCpu;
    const rows = [
      ['phase', 'analysed fps', 'CPU/frame', 'decode', 'inference', 'detect p50/p95 ms', 'vs untiled'],
      ['untiled detection, decode + 1 session alone', (1000 / untiled.wallMedianMs).toFixed(1), ms(untiledCpu), ms(untiled.decCpu), ms(untiled.infCpu), `wall ${untiled.wallMedianMs.toFixed(1)}/${untiled.wallP95Ms.toFixed(1)}`, '1.00x'],
      ...[tiledRow(tiling, tiled, untiledCpu)].map((r) => [r[0]!, r[1]!, r[2]!, r[3]!, r[4]!, r[9]!, r[12]!]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')}\n`);
    const j = (c: DetectionCost) => ({ decodeCpuPerFrameMs: round(c.decCpu * 1000, 2), inferenceCpuPerFrameMs: round(c.infCpu * 1000, 2), inferenceWallMedianMs: round(c.wallMedianMs, 2) });
    process.stdout.write(`${JSON.stringify({ model: model.manifest.id, clip, tiles: formatTiling(tiling), untiled: j(untiled), tiled: { ...j(tiled), cpuRatio: round((tiled.decCpu + tiled.infCpu) / untiledCpu, 3) } })}\n`);
    return;
  }

  // The alone-figures are measured before, between and after the two flat-out pipeline runs, and each run is judged
  // against the mean of the two measurements that bracket it: a VM's speed drifts (neighbours, clocks), and
  // bracketing each run keeps its comparison fair; the drift is printed.
  const measureAlone = async (when: string, first?: Buffer) => {
    log(`decode alone, ${when} (${seconds} s)`);
    const dec = await decodeAlone({ source: clip, spec, analysisFps: flatFps, seconds });
    log(`inference alone, ${when}: 1 session, then ${sessions} in parallel (${seconds} s each)`);
    const inf = await inferenceAlone({
      options: { manifest: model.manifest, model: model.file, executionProviders: providers, intraOpNumThreads: threads },
      frame: first ?? dec.first,
      srcWidth: probe.width,
      srcHeight: probe.height,
      seconds,
      sessions,
      threadEntry: __filename,
    });
    return { dec, inf };
  };
  const before = await measureAlone('before the pipeline');
  log(`reference: that ffmpeg command into ${sessions} detector thread(s) in this process, flat out (${warmupSeconds} s warm-up, ${seconds} s measured)`);
  const reference = await referencePipeline({
    source: clip,
    spec,
    analysisFps: flatFps,
    srcWidth: probe.width,
    srcHeight: probe.height,
    options: { manifest: model.manifest, model: model.file, executionProviders: providers, intraOpNumThreads: threads },
    sessions,
    threadEntry: __filename,
    seconds,
    warmupSeconds,
  });
  let between: typeof before | null = null;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  const profDir = process.env.WATCHROOM_BENCH_CPU_PROF_DIR;
  const workerArgs = ['--threads', String(threads), '--sessions', String(sessions), ...(values.ep ? ['--ep', values.ep] : []), ...(values['models-dir'] ? ['--models-dir', values['models-dir']] : []), ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : [])];
  const worker = await startInferenceWorker(modelArg ?? model.file, workerArgs, profDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profDir)] : []);
  const runs: Record<string, PipelineResult> = {};
  try {
    for (const k of [1, 4]) {
      if (k === 4) between = await measureAlone('between the two pipelines', before.dec.first);
      log(`pipeline flat out, ${k} camera(s) (${warmupSeconds} s warm-up, ${seconds} s measured)`);
      runs[`flat${k}`] = await runPipeline({ worker, source: clip, spec, cameras: k, seconds, warmupSeconds, analysisFps: flatFps, flatOut: true });
    }
  } catch (e) {
    await worker.stop();
    throw e;
  }
  const after = await measureAlone('after the pipeline', before.dec.first);
  const mid = between!;
  type Alone = typeof before;
  // The machine's bound for this work: every core decoding and inferring, at the alone costs measured with the
  // inference worker's configuration (its sessions all busy at once).
  const meanOf = (alone: Alone[]) => ({
    dec: { fps: mean(alone.map((a) => a.dec.fps)), cpuPerFrame: mean(alone.map((a) => a.dec.cpuPerFrame)) },
    inf: {
      provider: before.inf.provider,
      single: { cpuPerFrame: mean(alone.map((a) => a.inf.single.cpuPerFrame)), wallMedianMs: mean(alone.map((a) => a.inf.single.wallMedianMs)), wallP95Ms: mean(alone.map((a) => a.inf.single.wallP95Ms)), frames: alone.reduce((n, a) => n + a.inf.single.frames, 0) },
      parallel: { cpuPerFrame: mean(alone.map((a) => a.inf.parallel.cpuPerFrame)), fps: mean(alone.map((a) => a.inf.parallel.fps)), frames: alone.reduce((n, a) => n + a.inf.parallel.frames, 0) },
    },
  });
  const { dec, inf } = meanOf([before, mid, after]);
  const infCpu = inf.parallel.cpuPerFrame;
  const boundFps = cores / (dec.cpuPerFrame + infCpu);
  // each flat-out run against the alone-figures measured just before and just after it
  const bracket: Record<string, ReturnType<typeof meanOf>> = { reference: meanOf([before, mid]), flat1: meanOf([before, mid]), flat4: meanOf([mid, after]) };
  const aloneCpuOf = (name: string) => {
    const b = bracket[name] ?? { dec, inf };
    return b.dec.cpuPerFrame + b.inf.parallel.cpuPerFrame;
  };
  const boundOf = (name: string) => cores / aloneCpuOf(name);
  const aloneTotals = [before, mid, after].map((a) => a.dec.cpuPerFrame + a.inf.parallel.cpuPerFrame);
  const drift = Math.max(...aloneTotals) / Math.min(...aloneTotals) - 1;
  try {
    for (const k of [1, 4]) {
      log(`real time, ${k} camera(s) at ${rtFps} fps (${warmupSeconds} s warm-up, ${seconds} s measured)`);
      runs[`rt${k}`] = await runPipeline({ worker, source: clip, spec, cameras: k, seconds, warmupSeconds, analysisFps: rtFps, flatOut: false });
    }
  } finally {
    await worker.stop();
  }
  const tiledCost = tiling ? await measureDetectionCost(tiling) : null;
  const ui: Record<string, UiLatency> = {};
  if (values.ui) {
    for (const k of [1, 4]) {
      log(`real time through the page, ${k} camera(s) at ${rtFps} fps (${seconds} s)`);
      ui[`ui${k}`] = await uiLatency({ modelFile: model.file, clip, cameras: k, fps: rtFps, seconds, log });
    }
  }
  log(`recording: one 1080p camera without and with recording (${seconds} s each)`);
  const recording = fs.existsSync(recordingClip) ? await recordingCost({ clip: recordingClip, seconds, warmupSeconds, log }) : null;
  const overhead = (r: { cpuPerFrame: { total: number } }, name: string) => r.cpuPerFrame.total - aloneCpuOf(name);
  const vsReference = (r: PipelineResult) => r.fps / reference.fps;
  const rows: string[][] = [
    ['phase', 'analysed fps', 'CPU/frame', 'decode', 'inference', 'cameras', 'host', 'overhead', 'cores', 'detect p50/p95/p99 ms', 'to host p95', 'dropped', 'vs bound', 'vs reference'],
    ...(
      [
        ['before', before],
        ['between', mid],
        ['after', after],
        ['mean', { dec, inf }],
      ] as const
    ).flatMap(([when, a]) => [
      [`decode alone, ${when}`, a.dec.fps.toFixed(1), ms(a.dec.cpuPerFrame), ms(a.dec.cpuPerFrame), '', '', '', '', '', '', '', '', '', ''],
      [`inference alone, 1 session, ${when}`, (1000 / a.inf.single.wallMedianMs).toFixed(1), ms(a.inf.single.cpuPerFrame), '', ms(a.inf.single.cpuPerFrame), '', '', '', '', `wall ${a.inf.single.wallMedianMs.toFixed(1)}/${a.inf.single.wallP95Ms.toFixed(1)}`, '', '', '', ''],
      [`inference alone, ${sessions} sessions, ${when}`, a.inf.parallel.fps.toFixed(1), ms(a.inf.parallel.cpuPerFrame), '', ms(a.inf.parallel.cpuPerFrame), '', '', '', '', '', '', '', '', ''],
    ]),
    ['reference, one process, flat out', reference.fps.toFixed(1), ms(reference.cpuPerFrame.total), ms(reference.cpuPerFrame.decode), ms(reference.cpuPerFrame.inference), '', '', ms(overhead(reference, 'reference')), reference.cores.toFixed(2), '', '', '', `${(reference.fps / boundOf('reference')).toFixed(2)}x of ${boundOf('reference').toFixed(1)}`, ''],
    ...Object.entries(runs).map(([name, r]) => [
      name.startsWith('flat') ? `pipeline K=${r.cameras} flat out` : `real time K=${r.cameras} @${rtFps}fps`,
      r.fps.toFixed(1),
      ms(r.cpuPerFrame.total),
      ms(r.cpuPerFrame.decode),
      ms(r.cpuPerFrame.inference),
      ms(r.cpuPerFrame.camera),
      ms(r.cpuPerFrame.host),
      ms(overhead(r, name)),
      r.cores.toFixed(2),
      pcts(r.latencyMs),
      String(r.toHostMs.p95),
      String(r.dropped + r.errors),
      name.startsWith('flat') ? `${(r.fps / boundOf(name)).toFixed(2)}x of ${boundOf(name).toFixed(1)}` : '',
      name.startsWith('flat') ? `${vsReference(r).toFixed(2)}x` : '',
    ]),
    ...(tiling && tiledCost ? [tiledRow(tiling, tiledCost, dec.cpuPerFrame + inf.single.cpuPerFrame)] : []),
    ...Object.values(ui).map((u) => [`page K=${u.cameras} @${rtFps}fps, painted`, u.fps.toFixed(1), '', '', '', '', '', '', '', `paint ${pcts(u.paintMs)}`, '', '', `overlay match ${(u.overlayMatch * 100).toFixed(1)}%`, '']),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')}\n`);
  process.stdout.write(
    `bound = ${cores} cores / (decode + inference alone, CPU per frame); each flat-out run is judged against the alone-figures measured just before and after it (K=1: ${boundOf('flat1').toFixed(1)} fps, K=4: ${boundOf('flat4').toFixed(1)} fps; all three: decode ${ms(dec.cpuPerFrame)} + inference ${ms(infCpu)} = ${boundFps.toFixed(1)} fps); overhead = pipeline CPU per frame - decode alone - inference alone; ` +
      `reference = the camera's ffmpeg command read by this process into ${sessions} detector thread(s), no process boundary in the frame path (the pipeline's distance from it is what the isolation costs on this machine); ` +
      `alone-figures before vs after the pipeline differ by ${(drift * 100).toFixed(1)} %${drift > 0.1 ? ' (the machine was not steady: rerun on a quiet machine)' : ''}; ` +
      `pipelines measured after ${warmupSeconds} s of warm-up; model ${model.manifest.id} on ${inf.provider}, ${sessions} session(s) x ${threads} thread(s); allocator ${process.env.GLIBC_TUNABLES ?? 'defaults'}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  // The acceptance targets, each with the figure it is judged on (ratios against limits measured in this run).
  const targetRows: [string, string, boolean][] = [
    ['pipeline K=1 >= 0.85 x bound', `${(runs.flat1!.fps / boundOf('flat1')).toFixed(2)}x`, runs.flat1!.fps / boundOf('flat1') >= 0.85],
    ['pipeline K=4 >= 0.85 x bound', `${(runs.flat4!.fps / boundOf('flat4')).toFixed(2)}x`, runs.flat4!.fps / boundOf('flat4') >= 0.85],
    ['overhead <= 3 ms CPU per frame (K=1, K=4)', `${ms(overhead(runs.flat1!, 'flat1'))}, ${ms(overhead(runs.flat4!, 'flat4'))}`, overhead(runs.flat1!, 'flat1') <= 0.003 && overhead(runs.flat4!, 'flat4') <= 0.003],
    [`real time K=1 p95 <= inference median + 15 ms (${(inf.single.wallMedianMs + 15).toFixed(1)} ms)`, `${runs.rt1!.latencyMs.p95} ms`, runs.rt1!.latencyMs.p95 <= inf.single.wallMedianMs + 15],
    [`real time K=4 @${rtFps}fps drops no frame`, `${runs.rt4!.dropped + runs.rt4!.errors} dropped`, runs.rt4!.dropped === 0 && runs.rt4!.errors === 0],
  ];
  if (recording) {
    process.stdout.write(`${recordingRows(recording)}\n`);
    targetRows.push(['recording <= 3 % of a core per 1080p camera', `${recording.recordingCpuPercent.toFixed(2)} %`, recording.recordingCpuPercent <= 3]);
  }
  const tw = Math.max(...targetRows.map((r) => r[0].length));
  process.stdout.write(`${targetRows.map(([t, v, ok]) => `target  ${t.padEnd(tw)}  ${v.padEnd(12)}  ${ok ? 'met' : 'NOT met'}`).join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      recording,
      cores,
      sessions,
      threads,
      warmupSeconds,
      loadAverage1m: round(os.loadavg()[0] ?? 0, 2),
      glibcTunables: process.env.GLIBC_TUNABLES ?? null,
      loadAverage: os.loadavg().map((l) => round(l, 2)),
      model: model.manifest.id,
      executionProvider: inf.provider,
      clip,
      boundFps: round(boundFps, 2),
      boundFpsPerRun: { flat1: round(boundOf('flat1'), 2), flat4: round(boundOf('flat4'), 2) },
      aloneDrift: round(drift, 3),
      aloneBefore: { decodeCpuPerFrameMs: round(before.dec.cpuPerFrame * 1000, 2), inferenceCpuPerFrameMs: round(before.inf.parallel.cpuPerFrame * 1000, 2), inferenceWallMedianMs: round(before.inf.single.wallMedianMs, 2) },
      aloneBetween: { decodeCpuPerFrameMs: round(mid.dec.cpuPerFrame * 1000, 2), inferenceCpuPerFrameMs: round(mid.inf.parallel.cpuPerFrame * 1000, 2), inferenceWallMedianMs: round(mid.inf.single.wallMedianMs, 2) },
      aloneAfter: { decodeCpuPerFrameMs: round(after.dec.cpuPerFrame * 1000, 2), inferenceCpuPerFrameMs: round(after.inf.parallel.cpuPerFrame * 1000, 2), inferenceWallMedianMs: round(after.inf.single.wallMedianMs, 2) },
      decode: { fps: round(dec.fps, 1), cpuPerFrameMs: round(dec.cpuPerFrame * 1000, 2) },
      inference: {
        cpuPerFrameMs: round(infCpu * 1000, 2),
        wallMedianMs: round(inf.single.wallMedianMs, 2),
        wallP95Ms: round(inf.single.wallP95Ms, 2),
        single: { cpuPerFrameMs: round(inf.single.cpuPerFrame * 1000, 2), frames: inf.single.frames },
        parallel: { sessions, cpuPerFrameMs: round(infCpu * 1000, 2), fps: round(inf.parallel.fps, 1), frames: inf.parallel.frames },
      },
      ...(values.ui ? { ui } : {}),
      ...(tiling && tiledCost
        ? { tiledDetection: { tiles: formatTiling(tiling), decodeCpuPerFrameMs: round(tiledCost.decCpu * 1000, 2), inferenceCpuPerFrameMs: round(tiledCost.infCpu * 1000, 2), inferenceWallMedianMs: round(tiledCost.wallMedianMs, 2), cpuRatioToUntiled: round((tiledCost.decCpu + tiledCost.infCpu) / (dec.cpuPerFrame + inf.single.cpuPerFrame), 3) } }
        : {}),
      reference: { ...reference, overheadMsPerFrame: round(overhead(reference, 'reference') * 1000, 2), ratioToBound: round(reference.fps / boundOf('reference'), 3) },
      runs: Object.fromEntries(
        Object.entries(runs).map(([k, r]) => [k, { ...r, overheadMsPerFrame: round(overhead(r, k) * 1000, 2), ratioToBound: round(r.fps / boundOf(k), 3), cpuEfficiency: round(aloneCpuOf(k) / r.cpuPerFrame.total, 3), ...(k.startsWith('flat') ? { ratioToReference: round(vsReference(r), 3) } : {}) }]),
      ),
      targets: {
        flat1AtLeast085Bound: runs.flat1!.fps / boundOf('flat1') >= 0.85,
        flat4AtLeast085Bound: runs.flat4!.fps / boundOf('flat4') >= 0.85,
        overheadAtMost3ms: overhead(runs.flat1!, 'flat1') <= 0.003 && overhead(runs.flat4!, 'flat4') <= 0.003,
        p95AtMostInferencePlus15ms: runs.rt1!.latencyMs.p95 <= inf.single.wallMedianMs + 15,
        realtime4x10NoDrops: runs.rt4!.dropped === 0 && runs.rt4!.errors === 0,
      },
    })}\n`,
  );
}

/**
 * The alone-figures must be measured under the allocator settings the app's workers run with (malloc-env.ts),
 * or the comparison with the pipeline would not be like for like: where this process lacks them, it runs
 * itself again with them.
 */
function rerunWithWorkerMallocEnv(): boolean {
  if (hasWorkerMallocEnv()) return false;
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, ...workerMallocEnv() } });
  process.exitCode = r.status ?? 1;
  return true;
}

if (isBenchInferenceThread()) runBenchInferenceThread();
else if (isDetectorThread()) runDetectorThread();
else if (!rerunWithWorkerMallocEnv()) main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));

/** The recording phase for people: the camera without and with recording, and what recording adds (% of one core). */
function recordingRows(r: RecordingCost): string {
  return [
    `recording phase (${r.clip}, ${r.seconds} s each, CPU as % of one core):`,
    `  camera without recording        ${r.cameraCpuPercent.toFixed(2)} %`,
    `  camera with recording           ${r.cameraWithRecordingCpuPercent.toFixed(2)} %`,
    `  recording adds                  ${r.recordingCpuPercent.toFixed(2)} % (recorder ffmpeg ${r.recorderFfmpegCpuPercent.toFixed(2)} % + this process ${r.hostExtraCpuPercent.toFixed(2)} %; ${r.segments} segments written)`,
    `  camera processes, with - without ${(r.cameraWithRecordingCpuPercent - r.cameraCpuPercent - r.recorderFfmpegCpuPercent - r.hostExtraCpuPercent).toFixed(2)} % (not touched by recording: the machine's noise)`,
    `  ratio to the 3 % target         ${(r.recordingCpuPercent / 3).toFixed(2)}  ${r.recordingCpuPercent <= 3 ? 'met' : 'NOT met'}`,
  ].join('\n');
}

/** `--scale` and `--soak` (issue 22): cameras held with gating off and on; memory and CPU over a long run. */
async function scaleAndSoak(o: {
  values: { scale?: boolean; 'scale-max'?: string; suite?: string; soak?: string; cameras?: string; ep?: string; 'models-dir'?: string; 'data-dir'?: string };
  modelArg: string;
  model: string;
  spec: ReturnType<typeof modelInputSpec>;
  clip: string;
  seconds: number;
  warmupSeconds: number;
  rtFps: number;
  threads: number;
  sessions: number;
  log: (m: string) => void;
}): Promise<void> {
  const v = o.values;
  const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`), child: () => quiet };
  const workerArgs = ['--threads', String(o.threads), '--sessions', String(o.sessions), ...(v.ep ? ['--ep', v.ep] : []), ...(v['models-dir'] ? ['--models-dir', v['models-dir']] : []), ...(v['data-dir'] ? ['--data-dir', v['data-dir']] : [])];
  // --scale's counting suite runs after the search: a bad one is found now, not ten minutes later
  const suiteOptions = { suite: v.suite ?? 'test/eval/suite.json', model: o.modelArg, dirs: v, ep: v.ep, threads: o.threads, tiling: null };
  if (v.scale) checkSuite(suiteOptions);
  const clips = prepareMixClips(resolveFfmpeg().path, o.clip);
  const worker = await startInferenceWorker(o.modelArg, workerArgs);
  const out: Record<string, unknown> = { model: o.model, clip: o.clip, fps: o.rtFps, cores: os.availableParallelism() };
  const table = (rows: string[][]) => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n')}\n`);
  };
  try {
    if (v.scale) {
      const max = Math.max(1, Number(v['scale-max'] ?? 32) || 32);
      const run = (gating: boolean, start: number, startHeld: boolean) => camerasHeld({ worker, spec: o.spec, clips, analysisFps: o.rtFps, gating, seconds: o.seconds, warmupSeconds: o.warmupSeconds, max, start, startHeld, logger: quiet, log: o.log });
      const ungated = await run(false, 1, false);
      // gating never holds fewer cameras than without it: the gated search starts from the ungated count, taken as held
      const gated = await run(true, Math.max(1, ungated.held), ungated.held > 0);
      const at = (r: typeof ungated) => r.windows.find((w) => w.cameras === r.held) ?? null;
      const ratio = ungated.held ? gated.held / ungated.held : null;
      table([
        ['mix (1 in 4 busy)', 'cameras held', 'cores/camera', 'detector on', 'limit'],
        ...([['gating off', ungated], ['gating on', gated]] as const).map(([name, r]) => [
          name,
          `${r.held}${r.held === max ? '+' : ''}`,
          at(r)?.coresPerCamera.toFixed(3) ?? '-',
          at(r) ? `${Math.round(at(r)!.detectedShare * 100)} % of frames` : '-',
          r.held === max ? `--scale-max ${max}` : 'next count not held',
        ]),
      ]);
      process.stdout.write(`ratio gated / ungated: ${ratio === null ? '-' : ratio.toFixed(2)}\n`);
      // counting with gating off and on: the eval suite's own code (`npm run eval -- --suite [--gate]`), this model
      o.log(`counting: ${suiteOptions.suite} analysed once with ${o.model}, scored without and with motion gating`);
      const [offReport, onReport] = await scoreSuite(suiteOptions, [false, true]);
      const crossingsUngated = countingFigures(offReport!);
      const crossingsGated = countingFigures(onReport!);
      process.stdout.write(formatCountingComparison(crossingsUngated, crossingsGated));
      out.scale = { ungatedCameras: ungated.held, gatedCameras: gated.held, ratio: ratio === null ? null : round(ratio, 2), crossingsUngated, crossingsGated, crossingsIdentical: sameCounting(crossingsUngated, crossingsGated), max, ungatedWindows: ungated.windows, gatedWindows: gated.windows };
    }
    if (v.soak !== undefined) {
      const minutes = Math.max(0.5, Number(v.soak) || 1);
      const cameras = Math.max(1, Number(v.cameras ?? 4) || 4);
      const mix = new CameraMix({ worker, spec: o.spec, clips, cameras, analysisFps: o.rtFps, gating: true, logger: quiet });
      try {
        await mix.start();
        await new Promise((r) => setTimeout(r, o.warmupSeconds * 1000));
        o.log(`soak: ${cameras} cameras (gating on) for ${minutes} min after ${o.warmupSeconds} s of warm-up; RSS sampled every ${soakStep(minutes)} s`);
        const samples = await soakSamples(mix, minutes, o.log);
        const soak = soakSummary(samples, minutes);
        table([
          ['process kind (all of a kind)', `RSS at ${soak.fromMinute} min MB`, 'RSS end MB', 'growth %', 'vs 2 % limit', 'slope MB/h after', 'private MB then -> end', 'cores'],
          ...SOAK_KINDS.map((k) => {
            const r = soak.kinds[k];
            return [k, String(r.rssFromMB), String(r.rssEndMB), r.growthPercent.toFixed(2), (r.growthPercent / 2).toFixed(2), String(r.slopeMBPerHour), `${r.privateFromMB} -> ${r.privateEndMB}`, r.cores.toFixed(3)];
          }),
        ]);
        out.soak = { minutes, cameras, fromMinute: soak.fromMinute, ...soak.kinds, samples: samples.map((x) => ({ minute: round(x.minute, 2), rssMB: Object.fromEntries(SOAK_KINDS.map((k) => [k, round(x.rssMB[k], 1)])), privateMB: Object.fromEntries(SOAK_KINDS.map((k) => [k, round(x.privateMB[k], 1)])) })) };
      } finally {
        await mix.stop();
      }
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    await worker.stop();
    clips.dispose();
  }
}
