import fs from 'node:fs';
import path from 'node:path';
import { FaceModelManifestSchema, type FaceDetectorFamily, type FaceModelManifest } from '../../shared/domain/face-model';
import { fmtShape, isFixed, type ModelIo } from '../inference/decoders/model-io';
import { readModelFileIo } from '../inference/ort-session';
import type { FaceDetectorInUse } from '../../shared/ipc/models.contract';
import { sha256File } from '../models/file-hash';
import { findFaceModels } from './face-analyzer';

/**
 * A face detector an admin imports (Models → Import a model file, "Face detector (YuNet)" / "(UltraFace)"): the
 * file is checked with ONNX Runtime against the family's inputs and outputs, then copied into the user's models
 * folder as `face-detector.json` + `face-detector.import.onnx`. findFaceModels() looks in that folder last, so the
 * imported detector wins over the shipped BlazeFace; removing it goes back to the shipped one.
 */
export type ImportedFaceFamily = Exclude<FaceDetectorFamily, 'blazeface'>;

/** The file names in the models folder. */
export const IMPORTED_FACE_DETECTOR = { manifest: 'face-detector.json', file: 'face-detector.import.onnx' } as const;

const FAMILY_NAMES: Record<ImportedFaceFamily, string> = { yunet: 'a YuNet', ultraface: 'an UltraFace' };

/** YuNet's heads per stride, OpenCV's names, with the values per grid cell. */
const YUNET_HEADS = [
  ['cls', 1],
  ['obj', 1],
  ['bbox', 4],
  ['kps', 10],
] as const;

/**
 * Why `io` is not a face detector of `family` (null when it is). Both need one NCHW image input of fixed size;
 * YuNet the outputs cls_/obj_/bbox_/kps_ 8, 16 and 32 with one row per grid cell; UltraFace `scores` [1,N,2] and
 * `boxes` [1,N,4].
 */
export function faceDetectorIoProblem(io: ModelIo, family: ImportedFaceFamily): string | null {
  const input = io.inputs[0];
  const outs = io.outputs.map((o) => `${o.name}${fmtShape(o.shape)}`).join(', ');
  const not = (why: string) => `it is not ${FAMILY_NAMES[family]} face detector: ${why} (its outputs: ${outs})`;
  if (!input || io.inputs.length !== 1) return not('it needs exactly one picture input');
  const [n, c, h, w] = input.shape;
  if (input.shape.length !== 4 || (isFixed(n) && n !== 1) || c !== 3 || !isFixed(h) || !isFixed(w)) return not(`its input ${input.name}${fmtShape(input.shape)} is not one fixed-size colour picture [1,3,H,W]`);
  const out = (name: string) => io.outputs.find((o) => o.name === name);
  if (family === 'yunet') {
    for (const stride of [8, 16, 32]) {
      const cells = Math.ceil(h / stride) * Math.ceil(w / stride);
      for (const [head, per] of YUNET_HEADS) {
        const o = out(`${head}_${stride}`);
        if (!o) return not(`the output ${head}_${stride} is missing`);
        const [, rows, values] = o.shape;
        if ((isFixed(rows) && rows !== cells) || values !== per) return not(`the output ${o.name}${fmtShape(o.shape)} should be [1,${cells},${per}] for a ${w}x${h} input`);
      }
    }
    return null;
  }
  const scores = out('scores');
  const boxes = out('boxes');
  if (!scores || !boxes) return not('the outputs scores and boxes are missing');
  if (scores.shape.length !== 3 || scores.shape[2] !== 2 || boxes.shape.length !== 3 || boxes.shape[2] !== 4) return not('scores should be [1,N,2] and boxes [1,N,4]');
  if (isFixed(scores.shape[1]) && isFixed(boxes.shape[1]) && scores.shape[1] !== boxes.shape[1]) return not('scores and boxes have different lengths');
  return null;
}

/** The manifest of an imported face detector: the family's colour order, normalisation and output names. */
function faceDetectorManifest(family: ImportedFaceFamily, io: ModelIo, sha256: string, o: { provenance: string; licence?: string }): FaceModelManifest {
  const input = io.inputs[0]!;
  const shape = input.shape.map((d) => (isFixed(d) ? d : 1));
  const common = {
    id: 'face-detector',
    role: 'face-detector' as const,
    family,
    file: IMPORTED_FACE_DETECTOR.file,
    sha256,
    licence: o.licence ?? 'unknown (imported by the site)',
    provenance: o.provenance,
  };
  if (family === 'yunet') {
    return FaceModelManifestSchema.parse({
      ...common,
      name: `YuNet face detector (imported, ${shape[3]}x${shape[2]})`,
      // OpenCV's FaceDetectorYN feeds BGR 0..255 as they are.
      input: { name: input.name, shape, layout: 'nchw', colour: 'bgr', normalise: { scale: 1, mean: 0, std: 1 } },
      outputs: Object.fromEntries([8, 16, 32].flatMap((s) => YUNET_HEADS.map(([head]) => [`${head}${s}`, `${head}_${s}`]))),
    });
  }
  return FaceModelManifestSchema.parse({
    ...common,
    name: `UltraFace face detector (imported, ${shape[3]}x${shape[2]})`,
    // Linzaer's reference code: RGB, (pixel - 127) / 128.
    input: { name: input.name, shape, layout: 'nchw', colour: 'rgb', normalise: { scale: 1, mean: 127, std: 128 } },
    outputs: { scores: 'scores', boxes: 'boxes' },
  });
}

/**
 * Checks `file` (ONNX Runtime opens it; the family's inputs and outputs) and installs it as the face detector of
 * `modelsDir`, replacing an earlier imported one. Refuses with a plain message and leaves nothing behind otherwise.
 */
export async function importFaceDetector(o: { file: string; modelsDir: string; family: ImportedFaceFamily; provenance: string; licence?: string }): Promise<FaceModelManifest> {
  const io = await readModelFileIo(o.file);
  const problem = faceDetectorIoProblem(io, o.family);
  if (problem) throw new Error(problem);
  const manifest = faceDetectorManifest(o.family, io, await sha256File(o.file), o);
  fs.mkdirSync(o.modelsDir, { recursive: true });
  const target = path.join(o.modelsDir, IMPORTED_FACE_DETECTOR.file);
  const manifestPath = path.join(o.modelsDir, IMPORTED_FACE_DETECTOR.manifest);
  fs.copyFileSync(o.file, `${target}.importing`);
  fs.writeFileSync(`${manifestPath}.importing`, `${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(`${target}.importing`, target);
  fs.renameSync(`${manifestPath}.importing`, manifestPath);
  return manifest;
}

/** The face detector findFaceModels picks in `dirs` (the models folder last), described for the Models page. */
export function faceDetectorInUse(dirs: readonly string[]): FaceDetectorInUse {
  const manifestPath = findFaceModels(dirs).detector;
  const imported = path.dirname(manifestPath) === path.resolve(dirs[dirs.length - 1] ?? '.');
  const none = { family: null, name: null, licence: null, provenance: null };
  if (!fs.existsSync(manifestPath)) return { source: 'none', ...none, problem: 'No face detector is installed; installing the app again restores the shipped one.' };
  try {
    const m = FaceModelManifestSchema.parse(JSON.parse(fs.readFileSync(manifestPath, 'utf8')));
    return { source: imported ? 'imported' : 'shipped', family: m.family ?? 'blazeface', name: m.name, licence: m.licence, provenance: m.provenance ?? null, problem: null };
  } catch (e) {
    return { source: imported ? 'imported' : 'shipped', ...none, problem: `The face detector's description ${manifestPath} cannot be read: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** Removes the imported face detector (the shipped one is used again); false when none was imported. */
export function removeImportedFaceDetector(modelsDir: string): boolean {
  const manifestPath = path.join(modelsDir, IMPORTED_FACE_DETECTOR.manifest);
  const had = fs.existsSync(manifestPath);
  fs.rmSync(manifestPath, { force: true });
  fs.rmSync(path.join(modelsDir, IMPORTED_FACE_DETECTOR.file), { force: true });
  return had;
}
