// `npm install` hook (issue 8): converts the detector pinned in app/engine/models/npm-model-sources.ts from an
// installed npm package (@vladmandic/human's TF.js CenterNet) to ONNX in native-models/generated/.
// It runs before any build exists in a clean clone, so it bundles the TypeScript CLI with esbuild's JS API
// (into dist/node/convert-models.cjs, the same bundle `npm run build:node` makes) and runs that.
// Idempotent (the CLI skips up-to-date outputs) and never fails the install: every problem is reported and
// the script exits 0; the app then runs without that model.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = 'app/cli/convert-models.ts';
const outfile = path.join(root, 'dist/node/convert-models.cjs');

async function bundle() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    // A production install (npm ci --omit=dev, the packaged app) has neither esbuild nor the source package
    // (@vladmandic/human is a devDependency): it uses the converted model shipped with it.
    const generated = path.join(root, 'native-models', 'generated');
    if (fs.existsSync(generated) && fs.readdirSync(generated).some((f) => f.endsWith('.onnx'))) return false;
    throw new Error('esbuild is not installed (a production-only install?), so the converter cannot be built');
  }
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'silent',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  });
  return true;
}

async function main() {
  if (!fs.existsSync(path.join(root, entry))) {
    console.log('[postinstall] no model converter in this tree: nothing to do');
    return;
  }
  if (process.env.WATCHROOM_SKIP_MODEL_CONVERSION === '1') {
    console.log('[postinstall] WATCHROOM_SKIP_MODEL_CONVERSION=1: model conversion skipped');
    return;
  }
  if (!(await bundle())) {
    console.log('[postinstall] production install: using the converted model shipped in native-models/generated');
    return;
  }
  const r = spawnSync(process.execPath, [outfile, '--postinstall', '--root', root], { stdio: 'inherit', cwd: root, timeout: 300_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`the converter exited with ${r.status ?? r.signal}`);
}

try {
  await main();
} catch (err) {
  console.warn(`[postinstall] model conversion skipped: ${err?.message ?? err}. Watchroom runs without the bundled CenterNet detector; run \`node scripts/postinstall.mjs\` to retry.`);
}
process.exit(0);
