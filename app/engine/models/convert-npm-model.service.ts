import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FaceModelManifestSchema, type FaceModelManifest } from '../../shared/domain/face-model';
import { ModelManifestSchema, type ModelManifest } from '../../shared/domain/model';
import type { NpmFaceModelSource, NpmModelSource } from './npm-model-sources';
import { convertTfjsGraph } from './tfjs-convert/convert-graph';
import { CONVERTER_VERSION } from './tfjs-convert/onnx-graph-builder';
import { decodeTfjsModel, type TfGraphModelJson } from './tfjs-convert/tfjs-model';

/**
 * Converts a pinned TF.js model from an installed npm package into `<outDir>/<id>.onnx` + `<id>.json`
 * (a ModelManifest plus a `conversion` record). Idempotent: when the outputs exist and were made from the
 * same source bytes by the same converter version, nothing is done. Never throws: every problem becomes a
 * `failed` outcome with a message saying what is wrong and what it means for the app.
 */

export type NpmConversionOutcome =
  | { status: 'converted'; id: string; manifestPath: string; onnxPath: string; ms: number }
  | { status: 'up-to-date'; id: string; manifestPath: string }
  | { status: 'failed'; id: string; reason: string };

export interface NpmConversionOptions {
  /** Directory whose node_modules (or an ancestor's) holds the package. */
  root: string;
  /** Where the ONNX file and manifest are written (created when missing). */
  outDir: string;
  /** Square model input size; default the source's. Other sizes get the id suffix `-<size>`. */
  inputSize?: number;
  /** Convert even when the outputs are up to date. */
  force?: boolean;
}

/** Stored beside the manifest fields so a later run can tell whether the outputs are current. */
export interface ConversionRecord {
  converterVersion: string;
  packageName: string;
  packageVersion: string;
  inputSize: number;
  /** SHA-256 of each source file, by path in the package. */
  sourceSha256: Record<string, string>;
}

export type ConvertedManifest = (ModelManifest | FaceModelManifest) & { conversion: ConversionRecord };

const sha256 = (data: Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex');

class SourceError extends Error {}

/** The package's directory, searching node_modules from root upwards (as Node resolves packages). */
export function findPackageDir(root: string, packageName: string): string | undefined {
  let dir = path.resolve(root);
  for (;;) {
    const candidate = path.join(dir, 'node_modules', ...packageName.split('/'));
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads and verifies the pinned source files; throws SourceError with a user-facing reason. */
function readVerifiedSource(src: NpmModelSource | NpmFaceModelSource, root: string): Map<string, Buffer> {
  const dir = findPackageDir(root, src.packageName);
  if (!dir) throw new SourceError(`package ${src.packageName} is not installed (searched node_modules from ${path.resolve(root)} upwards)`);
  let version: unknown;
  try {
    version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
  } catch (err) {
    throw new SourceError(`cannot read ${src.packageName}/package.json: ${(err as Error).message}`);
  }
  if (version !== src.packageVersion) throw new SourceError(`${src.packageName} is version ${String(version)}, but only ${src.packageVersion} is pinned (its model files are verified by SHA-256)`);
  const files = new Map<string, Buffer>();
  for (const [rel, expected] of Object.entries(src.files)) {
    const p = path.join(dir, rel);
    if (!fs.existsSync(p)) throw new SourceError(`${src.packageName}/${rel} is missing`);
    const data = fs.readFileSync(p);
    const actual = sha256(data);
    if (actual !== expected) {
      throw new SourceError(`${src.packageName}/${rel} has SHA-256 ${actual} (${data.length} bytes), expected ${expected}: the file is damaged, truncated or changed; refusing to convert it`);
    }
    files.set(rel, data);
  }
  return files;
}

function isUpToDate(manifestPath: string, onnxPath: string, record: ConversionRecord): boolean {
  if (!fs.existsSync(manifestPath) || !fs.existsSync(onnxPath)) return false;
  try {
    const m = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Partial<ConvertedManifest>;
    if (JSON.stringify(m.conversion) !== JSON.stringify(record)) return false;
    return m.sha256 === sha256(fs.readFileSync(onnxPath));
  } catch {
    return false;
  }
}

function writeAtomic(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export function convertNpmModel(src: NpmModelSource | NpmFaceModelSource, opts: NpmConversionOptions): NpmConversionOutcome {
  const size = opts.inputSize ?? src.inputSize;
  const id = size === src.inputSize ? src.id : `${src.id}-${size}`;
  const started = Date.now();
  try {
    if (!Number.isInteger(size) || size < 32 || size % 32 !== 0) throw new SourceError(`input size ${size} must be a multiple of 32`);
    const files = readVerifiedSource(src, opts.root);
    const record: ConversionRecord = {
      converterVersion: CONVERTER_VERSION,
      packageName: src.packageName,
      packageVersion: src.packageVersion,
      inputSize: size,
      sourceSha256: { ...src.files },
    };
    const manifestPath = path.join(opts.outDir, `${id}.json`);
    const onnxPath = path.join(opts.outDir, `${id}.onnx`);
    if (!opts.force && isUpToDate(manifestPath, onnxPath, record)) return { status: 'up-to-date', id, manifestPath };

    const modelJson = files.get(src.modelJson);
    if (!modelJson) throw new SourceError(`${src.modelJson} is not among the pinned files`);
    const json = JSON.parse(modelJson.toString('utf8')) as TfGraphModelJson;
    const base = path.posix.dirname(src.modelJson);
    const model = decodeTfjsModel(json, (rel) => {
      const data = files.get(path.posix.join(base, rel));
      if (!data) throw new SourceError(`weight shard ${rel} is not among the pinned files`);
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    });
    const result = convertTfjsGraph(model, {
      ...src.convert,
      inputSize: [size, size],
      docString: `${src.packageName}@${src.packageVersion} ${src.modelJson}, converted by tfjs-convert ${CONVERTER_VERSION}`,
    });
    const schema = 'role' in src.manifest ? FaceModelManifestSchema : ModelManifestSchema;
    const manifest = schema.parse({
      ...src.manifest,
      id,
      name: size === src.inputSize ? src.manifest.name : `${src.manifest.name} ${size}x${size}`,
      file: `${id}.onnx`,
      sha256: sha256(result.onnx),
      input: { ...src.manifest.input, name: result.input.name, shape: result.input.shape },
    });
    fs.mkdirSync(opts.outDir, { recursive: true });
    writeAtomic(onnxPath, result.onnx);
    const full: ConvertedManifest = { ...manifest, conversion: record };
    writeAtomic(manifestPath, `${JSON.stringify(full, null, 2)}\n`);
    return { status: 'converted', id, manifestPath, onnxPath, ms: Date.now() - started };
  } catch (err) {
    return { status: 'failed', id, reason: (err as Error).message };
  }
}
