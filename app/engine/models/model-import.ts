import fs from 'node:fs';
import path from 'node:path';
import { ModelManifestSchema, type ModelManifest } from '../../shared/domain/model';
import { COCO80 } from '../inference/decoders/coco-classes';
import { isFixed, type ModelIo } from '../inference/decoders/model-io';
import { ultralyticsLayout } from '../inference/decoders/ultralytics';
import { yoloxAnchorCount } from '../inference/decoders/yolox';
import { readModelFileIo } from '../inference/ort-session';
import { sha256File } from './file-hash';
import { checkModelIo } from './model-registry';

export type ImportDecoder = 'yolox' | 'ultralytics';

/** A manifest id from a file name: lower-case, runs of other characters become '-'. */
export function idFromFileName(file: string): string {
  const base = path.basename(file).replace(/\.onnx$/i, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return (base || 'model').slice(0, 64);
}

/** Guesses the decoder from the output shape: YOLOX's anchor count for its input, else an Ultralytics layout. */
export function guessDecoder(io: ModelIo): ImportDecoder | null {
  const i = io.inputs[0];
  const o = io.outputs[0];
  if (!i || !o || o.shape.length !== 3) return null;
  const [, , h, w] = i.shape;
  if (isFixed(h) && isFixed(w) && isFixed(o.shape[1]) && o.shape[1] === yoloxAnchorCount(w, h, [8, 16, 32])) return 'yolox';
  const nc = isFixed(o.shape[1]) && o.shape[1] > 4 && o.shape[1] < 1000 ? o.shape[1] - 4 : isFixed(o.shape[2]) ? o.shape[2] - 5 : 0;
  if (nc > 0 && ultralyticsLayout(o.shape.map((d) => (isFixed(d) ? d : -1)), nc)) return 'ultralytics';
  return null;
}

function classCount(io: ModelIo, decoder: ImportDecoder): number {
  const o = io.outputs[0]!.shape;
  if (decoder === 'yolox') return isFixed(o[2]) ? o[2] - 5 : 80;
  if (isFixed(o[1]) && o[1] > 4 && (!isFixed(o[2]) || o[2] > o[1])) return o[1] - 4; // [1, 4+nc, N]
  return isFixed(o[2]) ? o[2] - 5 : 80;
}

/** A manifest for a local ONNX file, from its own I/O and the decoder's conventions. */
export function inferManifest(io: ModelIo, file: string, sha256: string, opts: { decoder: ImportDecoder; id?: string; name?: string }): ModelManifest {
  const input = io.inputs[0];
  if (!input) throw new Error('the model has no input');
  const nc = Math.max(1, classCount(io, opts.decoder));
  const classes = nc === COCO80.length ? [...COCO80] : Array.from({ length: nc }, (_, k) => `class${k}`);
  const yolox = opts.decoder === 'yolox';
  const id = opts.id ?? idFromFileName(file);
  return ModelManifestSchema.parse({
    id,
    name: opts.name ?? `${id} (imported)`,
    file: path.basename(file),
    sha256,
    licence: 'unknown (imported by the site)',
    provenance: `imported from ${path.basename(file)}`,
    input: {
      name: input.name,
      shape: input.shape.map((d) => (isFixed(d) ? d : -1)),
      layout: 'nchw',
      colour: yolox ? 'bgr' : 'rgb',
      normalise: { scale: yolox ? 1 : 1 / 255 },
      letterbox: yolox ? 'topleft' : 'center',
      padValue: 114,
    },
    decoder: opts.decoder,
    classes,
    rank: 10,
  });
}

export interface ImportOptions {
  file: string;
  modelsDir: string;
  decoder?: ImportDecoder;
  id?: string;
  /** Where the file came from, in words (default "imported from <file name>"). */
  provenance?: string;
  /** The licence as the publisher states it (default "unknown (imported by the site)"). */
  licence?: string;
}

/**
 * Checks that `file` is ONNX with the inputs/outputs the decoder expects, copies it into the models dir and
 * writes `<id>.json` beside it with the file's own SHA-256. Refuses (and leaves nothing behind) otherwise.
 */
export async function importModel(opts: ImportOptions): Promise<{ manifest: ModelManifest; manifestPath: string; filePath: string }> {
  if (!fs.existsSync(opts.file)) throw new Error(`no such file: ${opts.file}`);
  const io = await readModelFileIo(opts.file);
  const decoder = opts.decoder ?? guessDecoder(io);
  if (!decoder) throw new Error(`cannot tell which decoder fits ${path.basename(opts.file)} (outputs ${io.outputs.map((o) => `${o.name}[${o.shape.join(',')}]`).join(', ')}); pass --decoder yolox|ultralytics`);
  const id = opts.id ?? idFromFileName(opts.file);
  const sha = await sha256File(opts.file);
  // `.import.onnx`: never collides with a shipped manifest's download of the same upstream file name.
  const inferred = inferManifest(io, `${id}.import.onnx`, sha, { decoder, id });
  const manifest = { ...inferred, ...(opts.provenance ? { provenance: opts.provenance } : {}), ...(opts.licence ? { licence: opts.licence } : {}) };
  fs.mkdirSync(opts.modelsDir, { recursive: true });
  const filePath = path.join(opts.modelsDir, manifest.file);
  const manifestPath = path.join(opts.modelsDir, `${id}.json`);
  const tmp = `${filePath}.importing`;
  fs.copyFileSync(opts.file, tmp);
  const problem = await checkModelIo(tmp, { ...manifest, file: path.basename(opts.file) });
  if (problem) {
    fs.rmSync(tmp, { force: true });
    throw new Error(problem);
  }
  fs.renameSync(tmp, filePath);
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, manifestPath, filePath };
}
