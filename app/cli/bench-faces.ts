import jpeg from 'jpeg-js';
import { FaceAnalyzer, findFaceModels } from '../engine/faces/face-analyzer';
import type { FaceLookRequest } from '../engine/faces/face-look';
import { readRgbFrames, type RgbImage } from '../engine/faces/rgb-image';
import { probeSource } from '../engine/ffmpeg/source-probe';
import { FaceLookCalls } from '../engine/inference/face-look-calls';
import type { FrameForInference, ModelInputSpec } from '../engine/inference/inference-api';
import { createInferenceClient } from '../engine/inference/inference-client';
import { ModelInputStream } from '../engine/inference/model-input-stream';
import { manifestDirs } from '../engine/models/models-dir';
import type { InferenceWorkerHandle } from './bench-pipeline';
import { procSample } from './proc-stat';

/**
 * The face step's cost (issue 23) where the live pipeline pays it: in the shared inference worker, as its
 * low-priority job class beside person detection (idle-time-queue.ts). One "look" is what the engine sends for
 * a frame with a person track due: the frame's display JPEG and a head region; the worker decodes the JPEG and
 * runs the face models on the region.
 *
 * In one worker, person detection from `cameras` cameras (model-input frames of the clip over the worker's
 * socket, one in flight per camera, as camera workers send them) is measured
 *   - paced: each camera at `fps` (its analysis rate), alone and with face looks sent as fast as the worker
 *     answers them (one in flight, the next at once);
 *   - flood: each camera sending its next frame as soon as the last is answered (the worker saturated), alone and
 *     with the same stream of face looks.
 * Alone and with looks alternate in slices of `seconds` / 2 (A B B A A B B A, 4 x `seconds` a mode), and the
 * slices of each kind are added up. Detection must keep at least DETECTION_KEPT of its alone throughput in both
 * modes; the face looks a second and the worker's CPU per look (its CPU with looks, less its frames at the CPU
 * per frame alone, per look) follow from the paced mode.
 */
export interface FaceStepCost {
  clip: string;
  cameras: number;
  fps: number;
  /** The worker's parallel detection sessions. */
  sessions: number;
  seconds: number;
  detection: {
    paced: DetectionPair;
    flood: DetectionPair;
  };
  /** Face looks answered with faces a second (paced phase; flood phase). */
  looksPerSecond: number;
  looksPerSecondFlood: number;
  /** Looks the worker did not run (queue full or replaced), paced phase. */
  skipped: number;
  /** The inference worker's CPU per look, ms, and the JPEG decode part of it (measured here on the same JPEGs). */
  cpuMsPerLook: number;
  decodeMsPerLook: number;
  /** Faces that passed the gates and got an embedding, of the looks answered (paced phase). */
  embedded: number;
  looks: number;
  /** Share of one core at 1, 4 and 10 looks a second (%). */
  corePercentAt: Record<'1' | '4' | '10', number>;
  /** The limit: detection with looks keeps at least this share of its alone throughput. */
  limit: number;
  ok: boolean;
}

/** Detection frames answered a second, alone and with face looks, and their ratio (the one the limit judges). */
interface DetectionPair {
  aloneFps: number;
  withFacesFps: number;
  ratio: number;
  /** Each slice with looks against the alone slice beside it: the spread shows how much the machine's load drifted. */
  sliceRatios: number[];
}

const DETECTION_KEPT = 0.9;

interface Phase {
  detFps: number;
  /** Detection frames answered. */
  frames: number;
  looks: number;
  embedded: number;
  skipped: number;
  cpuS: number;
  secs: number;
}

export interface FaceBenchOptions {
  clip: string;
  modelsDir: string;
  seconds: number;
  cameras: number;
  fps: number;
  /** Starts the inference worker (bench-pipeline.ts startInferenceWorker, with the bench's model and sessions). */
  startWorker: () => Promise<InferenceWorkerHandle>;
  /** The running model's input spec (the frames cameras send). */
  spec: ModelInputSpec;
  log: (m: string) => void;
}

export async function faceStepCost(o: FaceBenchOptions): Promise<FaceStepCost> {
  const models = findFaceModels(manifestDirs(o.modelsDir));
  const { looks, decodeMsPerLook } = await prepareLooks(o.clip, models);
  const frames = await modelInputFrames(o.clip, o.spec, 60);
  o.log(`faces: ${looks.length} looks, ${frames.length} detection frames; ${o.cameras} cameras at ${o.fps} fps, then flat out; alone, with looks, alone; ${o.seconds} s a phase`);
  const worker = await o.startWorker();
  const pid = worker.proc.pid;
  const calls = new FaceLookCalls();
  worker.proc.on('message', (m: { type?: string; id?: unknown; reply?: unknown }) => {
    if (m?.type === 'face-look') calls.answer(m.id, m.reply);
  });
  const post = (m: unknown) => void worker.proc.send(m as never);
  const clients = Array.from({ length: o.cameras }, () => createInferenceClient(worker.endpoint));
  const probe = probeSource(o.clip);
  try {
    // warm-up: the face models open on the first look; a few frames for each camera
    const first = await calls.call(post, looks[0]!);
    if (first.status !== 'ok') throw new Error(`the first face look failed: ${first.status === 'error' ? first.message : first.reason}`);
    for (const [i, c] of clients.entries()) await c.detect({ ...frames[0]!, cameraId: `bench-${i}`, seq: 0, srcWidth: probe.width, srcHeight: probe.height });

    const runPhase = async (mode: 'paced' | 'flood', withFaces: boolean, seconds: number): Promise<Phase> => {
      let stop = false;
      let answered = 0;
      const c0 = procSample(pid)?.cpuS ?? 0;
      const t0 = performance.now();
      const cams = clients.map(async (client, i) => {
        let seq = 1;
        let next = performance.now();
        while (!stop) {
          const f = frames[seq % frames.length]!;
          const r = await client.detect({ ...f, cameraId: `bench-${i}`, seq: seq++, srcWidth: probe.width, srcHeight: probe.height });
          if (r.status === 'ok' && !stop) answered++;
          if (mode === 'paced') {
            next += 1000 / o.fps;
            const wait = next - performance.now();
            if (wait > 0) await new Promise((res) => setTimeout(res, wait));
            else next = performance.now(); // late: the camera drops, it does not catch up
          }
        }
      });
      let done = 0, embedded = 0, skipped = 0;
      const faces = (async () => {
        for (let i = 0; withFaces && !stop; i++) {
          const r = await calls.call(post, looks[i % looks.length]!);
          if (stop) break;
          if (r.status === 'ok') {
            done++;
            if (r.faces[0]?.embedding) embedded++;
          } else if (r.status === 'skipped') {
            skipped++;
            await new Promise((res) => setImmediate(res));
          } else throw new Error(`face look failed: ${r.message}`);
        }
      })();
      await new Promise((res) => setTimeout(res, seconds * 1000));
      stop = true;
      const secs = (performance.now() - t0) / 1000;
      const cpuS = (procSample(pid)?.cpuS ?? 0) - c0;
      await Promise.all([...cams, faces]);
      return { detFps: answered / secs, frames: answered, looks: done, embedded, skipped, cpuS, secs };
    };
    // The machine's other load drifts: runs alone and with looks alternate in short slices, A B B A A B B A (a
    // steady drift cancels out), and the slices of each kind are added up.
    const measure = async (mode: 'paced' | 'flood') => {
      const slice = Math.max(1, o.seconds / 2);
      const sum = (ps: Phase[]): Phase => {
        const t = ps.reduce((a, p) => ({ ...a, frames: a.frames + p.frames, looks: a.looks + p.looks, embedded: a.embedded + p.embedded, skipped: a.skipped + p.skipped, cpuS: a.cpuS + p.cpuS, secs: a.secs + p.secs }), { detFps: 0, frames: 0, looks: 0, embedded: 0, skipped: 0, cpuS: 0, secs: 0 });
        return { ...t, detFps: t.frames / Math.max(1e-9, t.secs) };
      };
      const alones: Phase[] = [];
      const withs: Phase[] = [];
      for (const faces of [false, true, true, false, false, true, true, false]) (faces ? withs : alones).push(await runPhase(mode, faces, slice));
      const alone = sum(alones);
      const withFaces = sum(withs);
      // each slice with looks against the alone slice beside it (A B | B A | A B | B A): how much the load drifted
      const pairRatios = withs.map((b, k) => round(b.detFps / Math.max(1e-9, alones[k]!.detFps), 2));
      o.log(`${mode}: alone ${alones.map((p) => p.detFps.toFixed(1)).join(' / ')} detection frames/s, with face looks ${withs.map((p) => p.detFps.toFixed(1)).join(' / ')} (${(withFaces.looks / withFaces.secs).toFixed(1)} looks/s)`);
      return { alone, withFaces, pair: { aloneFps: round(alone.detFps, 1), withFacesFps: round(withFaces.detFps, 1), ratio: round(withFaces.detFps / Math.max(1e-9, alone.detFps), 3), sliceRatios: pairRatios } satisfies DetectionPair };
    };
    const pacedRun = await measure('paced');
    const floodRun = await measure('flood');
    const paced = pacedRun.pair;
    const flood = floodRun.pair;
    const pacedFaces = pacedRun.withFaces;
    const floodFaces = floodRun.withFaces;
    // The worker's CPU with looks, less what its detection frames cost (CPU per frame alone, idle time included).
    const cpuPerFrame = pacedRun.alone.cpuS / Math.max(1, pacedRun.alone.frames);
    const perLook = pacedFaces.looks ? ((pacedFaces.cpuS - cpuPerFrame * pacedFaces.frames) * 1000) / pacedFaces.looks : NaN;
    const share = (n: number) => round((perLook * n) / 10, 1);
    return {
      clip: o.clip,
      cameras: o.cameras,
      fps: o.fps,
      sessions: worker.sessions,
      seconds: o.seconds,
      detection: { paced, flood },
      looksPerSecond: round(pacedFaces.looks / pacedFaces.secs, 1),
      looksPerSecondFlood: round(floodFaces.looks / floodFaces.secs, 1),
      skipped: pacedFaces.skipped,
      cpuMsPerLook: round(perLook, 1),
      decodeMsPerLook: round(decodeMsPerLook, 1),
      embedded: pacedFaces.embedded,
      looks: pacedFaces.looks,
      corePercentAt: { '1': share(1), '4': share(4), '10': share(10) },
      limit: DETECTION_KEPT,
      ok: paced.ratio >= DETECTION_KEPT && flood.ratio >= DETECTION_KEPT,
    };
  } finally {
    calls.failAll('the bench is over');
    for (const c of clients) c.close();
    await worker.stop();
  }
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** The clip's frames with faces as looks (display JPEG + a region around each face), and the JPEG decode cost. */
async function prepareLooks(clip: string, models: FaceLookRequest['models']): Promise<{ looks: FaceLookRequest[]; decodeMsPerLook: number }> {
  const analyzer = await FaceAnalyzer.create(models, { intraOpNumThreads: 1 });
  const looks: FaceLookRequest[] = [];
  try {
    for await (const { image } of readRgbFrames(clip, { maxFrames: 120 })) {
      const faces = await analyzer.analyze(image, { minScore: 0.5 });
      const bytes = jpegOf(image);
      for (const f of faces) {
        const s = Math.max(f.box[2] - f.box[0], f.box[3] - f.box[1]) * 1.5;
        const cx = (f.box[0] + f.box[2]) / 2, cy = (f.box[1] + f.box[3]) / 2;
        const { width: w, height: h } = image;
        looks.push({ cameraId: 'bench-faces', models, jpeg: bytes, regions: [[(cx - s) / w, (cy - s) / h, (cx + s) / w, (cy + s) / h]] });
      }
    }
  } finally {
    await analyzer.dispose();
  }
  if (!looks.length) throw new Error(`no face found in ${clip}`);
  const t0 = process.cpuUsage();
  for (const l of looks) jpeg.decode(l.jpeg, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 64 });
  const t = process.cpuUsage(t0);
  return { looks, decodeMsPerLook: (t.user + t.system) / 1000 / looks.length };
}

/** Model-input frames of the clip, as a camera worker's ffmpeg prepares them for the worker. */
async function modelInputFrames(clip: string, spec: ModelInputSpec, max: number): Promise<Omit<FrameForInference, 'cameraId' | 'seq'>[]> {
  const reader = new ModelInputStream({ source: clip, spec, probe: probeSource(clip), maxFrames: max });
  const out: Omit<FrameForInference, 'cameraId' | 'seq'>[] = [];
  for await (const f of reader.frames()) out.push({ pts: 0, capturedAt: Date.now(), srcWidth: 0, srcHeight: 0, data: Buffer.from(f.data), spec });
  await reader.stop();
  return out;
}

function jpegOf(img: RgbImage): Uint8Array {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    rgba[i * 4] = img.data[i * 3]!; rgba[i * 4 + 1] = img.data[i * 3 + 1]!; rgba[i * 4 + 2] = img.data[i * 3 + 2]!; rgba[i * 4 + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: img.width, height: img.height }, 80).data;
}

/** The face phase for people. */
export function faceStepRows(r: FaceStepCost): string {
  const { paced, flood } = r.detection;
  return [
    `face step in the inference worker (${r.clip}; person detection from ${r.cameras} cameras, ${r.sessions} sessions; ${r.seconds} s a phase):`,
    `  detection at ${r.fps} fps a camera   alone ${paced.aloneFps} frames/s, with face looks ${paced.withFacesFps} frames/s: ratio ${paced.ratio} (limit ≥ ${r.limit}; slice by slice ${paced.sliceRatios.join(' ')}); ${r.looksPerSecond} looks/s`,
    `  detection flat out            alone ${flood.aloneFps} frames/s, with face looks ${flood.withFacesFps} frames/s: ratio ${flood.ratio} (limit ≥ ${r.limit}; slice by slice ${flood.sliceRatios.join(' ')}); ${r.looksPerSecondFlood} looks/s (looks run only when no frame waits)`,
    `  worker CPU per look           ${r.cpuMsPerLook} ms (JPEG decode ${r.decodeMsPerLook} ms); ${r.embedded} of ${r.looks} faces passed the gates and were embedded; ${r.skipped} looks not run`,
    `  share of one core at 1 / 4 / 10 looks a second: ${r.corePercentAt['1']} % / ${r.corePercentAt['4']} % / ${r.corePercentAt['10']} % (a track is looked at most once a second)`,
    `  ${r.ok ? 'OK' : 'FAIL'}: person detection keeps ${r.ok ? 'at least' : 'less than'} ${r.limit} of its alone throughput with face looks`,
  ].join('\n');
}
