import jpeg from 'jpeg-js';
import { FaceAnalyzer, findFaceModels } from '../engine/faces/face-analyzer';
import { readRgbFrames, type RgbImage } from '../engine/faces/rgb-image';
import { manifestDirs } from '../engine/models/models-dir';

/**
 * The face step's cost (issue 23), as the live pipeline pays it: one "look" is decoding a frame's display JPEG
 * and running the face models on one person's head region (face-live.ts, face-watch.ts). Measured on one thread
 * in this process (as in the engine), CPU per look; the share of a core follows for N looks a second (each track
 * of a camera with faces on is looked at most once a second; one look at a time site-wide caps it at one core).
 */
export interface FaceStepCost {
  clip: string;
  looks: number;
  /** CPU per look, ms: all of it, and the JPEG decode part. */
  cpuMsPerLook: number;
  decodeMsPerLook: number;
  /** Faces that passed the gates and got an embedding, of those found. */
  embedded: number;
  /** Share of one core at 1, 4 and 10 looks a second (%). */
  corePercentAt: Record<'1' | '4' | '10', number>;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function faceStepCost(o: { clip: string; modelsDir: string; seconds: number; log: (m: string) => void }): Promise<FaceStepCost> {
  const analyzer = await FaceAnalyzer.create(findFaceModels(manifestDirs(o.modelsDir)), { intraOpNumThreads: 1 });
  try {
    // The frames as the engine gets them (display JPEGs), each with head regions around the faces in it.
    const frames: { jpeg: Uint8Array; regions: [number, number, number, number][] }[] = [];
    for await (const { image } of readRgbFrames(o.clip, { maxFrames: 120 })) {
      const faces = await analyzer.analyze(image, { minScore: 0.5 });
      const regions = faces.map((f) => {
        const s = Math.max(f.box[2] - f.box[0], f.box[3] - f.box[1]) * 1.5;
        const cx = (f.box[0] + f.box[2]) / 2, cy = (f.box[1] + f.box[3]) / 2;
        return [cx - s, cy - s, cx + s, cy + s] as [number, number, number, number];
      });
      if (regions.length) frames.push({ jpeg: jpegOf(image), regions });
    }
    if (!frames.length) throw new Error(`no face found in ${o.clip}`);
    o.log(`faces: ${frames.length} frames with faces; looking for ${o.seconds} s`);
    let looks = 0, embedded = 0, decodeMs = 0;
    const c0 = cpuMs();
    const until = Date.now() + o.seconds * 1000;
    for (let i = 0; Date.now() < until; i++) {
      const f = frames[i % frames.length]!;
      const d0 = cpuMs();
      const d = jpeg.decode(f.jpeg, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 64 });
      decodeMs += cpuMs() - d0;
      const region = f.regions[i % f.regions.length]!;
      const found = await analyzer.analyze({ data: d.data, width: d.width, height: d.height }, { regions: [region] });
      looks++;
      if (found[0]?.embedding) embedded++;
    }
    const perLook = (cpuMs() - c0) / looks;
    const share = (n: number) => Math.round(perLook * n * 10) / 100;
    return { clip: o.clip, looks, cpuMsPerLook: Math.round(perLook * 10) / 10, decodeMsPerLook: Math.round((decodeMs / looks) * 10) / 10, embedded, corePercentAt: { '1': share(1), '4': share(4), '10': share(10) } };
  } finally {
    await analyzer.dispose();
  }
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
  return [
    `face step (${r.clip}, ${r.looks} looks: display JPEG decode + face models on one head region, one thread):`,
    `  CPU per look                    ${r.cpuMsPerLook} ms (JPEG decode ${r.decodeMsPerLook} ms); ${r.embedded} of ${r.looks} faces passed the gates and were embedded`,
    `  share of one core at 1 / 4 / 10 looks a second: ${r.corePercentAt['1']} % / ${r.corePercentAt['4']} % / ${r.corePercentAt['10']} % (a track is looked at most once a second; one look at a time site-wide)`,
  ].join('\n');
}
