import fs from 'node:fs';
import path from 'node:path';
import { ModelManifestSchema, type ModelManifest } from '../../shared/domain/model';
import { openOrtSession } from '../inference/ort-session';
import { sha256File } from './file-hash';
import { guessDecoder, inferManifest, type ImportDecoder } from './model-import';
import type { ModelRegistry } from './model-registry';

/** A model chosen for a run: its manifest and the ONNX file. */
export interface ResolvedModel {
  manifest: ModelManifest;
  file: string;
}

/**
 * `--model <path|id>` for the CLIs: an .onnx path (manifest beside it as <name>.json or one naming that file,
 * else one inferred from its I/O), a manifest .json path, or a registry id. Without `arg`, the registry's best.
 */
export async function resolveModel(arg: string | undefined, registry: ModelRegistry, decoder?: ImportDecoder): Promise<ResolvedModel> {
  if (!arg) {
    const best = await registry.best();
    if (!best) throw new Error('no detector is installed: run `npm run models -- fetch yolox-nano` or `npm run models -- import <file.onnx>`, or pass --model');
    return { manifest: best.manifest, file: best.filePath };
  }
  if (arg.endsWith('.json') && fs.existsSync(arg)) {
    const manifest = ModelManifestSchema.parse(JSON.parse(fs.readFileSync(arg, 'utf8')));
    const entry = await registry.verify(manifest, path.resolve(arg));
    if (entry.status !== 'installed') throw new Error(`model ${manifest.id}: ${entry.error}`);
    return { manifest, file: entry.filePath };
  }
  if (fs.existsSync(arg) && fs.statSync(arg).isFile()) {
    const file = path.resolve(arg);
    const beside = findManifestBeside(file);
    if (beside) return { manifest: beside, file };
    let opened;
    try {
      opened = await openOrtSession(file, { executionProviders: ['cpu'] });
    } catch (e) {
      throw new Error(`${path.basename(file)} is not a loadable ONNX model: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    await opened.session.release().catch(() => undefined);
    const d = decoder ?? guessDecoder(opened.io);
    if (!d) throw new Error(`cannot tell which decoder fits ${path.basename(file)}; pass --decoder yolox|ultralytics`);
    return { manifest: inferManifest(opened.io, file, await sha256File(file), { decoder: d }), file };
  }
  const entry = await registry.require(arg);
  return { manifest: entry.manifest, file: entry.filePath };
}

function findManifestBeside(file: string): ModelManifest | null {
  const dir = path.dirname(file);
  const candidates = [file.replace(/\.onnx$/i, '.json'), ...fs.readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => path.join(dir, n))];
  for (const c of candidates) {
    if (!fs.existsSync(c)) continue;
    try {
      const m = ModelManifestSchema.parse(JSON.parse(fs.readFileSync(c, 'utf8')));
      if (path.resolve(dir, m.file) === file) return m;
    } catch {}
  }
  return null;
}
