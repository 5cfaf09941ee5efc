// Bundles every Node-side entry (Electron main + preload, engine workers, headless host, CLIs) with esbuild.
// Packages stay external (node_modules ship beside the bundles); output is CommonJS because sandboxed
// preloads must be CommonJS and Electron's utility processes load plain scripts.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** out file (relative to dist/) -> source entry */
export const entries = {
  'main/main.cjs': 'app/main/main.ts',
  'preload/preload.cjs': 'app/preload/preload.ts',
  'node/headless.cjs': 'app/server/headless.entry.ts',
  'node/camera-worker.cjs': 'app/engine/camera/camera-worker.entry.ts',
  'node/inference-worker.cjs': 'app/engine/inference/inference-worker.entry.ts',
  'node/analyze.cjs': 'app/cli/analyze.ts',
  'node/models.cjs': 'app/cli/models.ts',
  'node/bench.cjs': 'app/cli/bench.ts',
  'node/eval.cjs': 'app/cli/eval.ts',
  'node/report.cjs': 'app/cli/report.ts',
  'node/demo-data.cjs': 'app/cli/demo-data.ts',
  'node/audit.cjs': 'app/cli/audit.ts',
  'node/convert-models.cjs': 'app/cli/convert-models.ts',
};

export async function buildNode() {
  const present = Object.entries(entries).filter(([, src]) => fs.existsSync(path.join(root, src)));
  await Promise.all(present.map(([out, src]) => esbuild.build({
    absWorkingDir: root,
    entryPoints: [src],
    outfile: path.join('dist', out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Sandboxed preloads can only require('electron'): bundle every other package into the preload.
    ...(out.startsWith('preload/') ? { external: ['electron'] } : { packages: 'external' }),
    sourcemap: 'linked',
    logLevel: 'warning',
    ...(out.startsWith('preload/') ? {} : {
      define: { 'import.meta.url': 'importMetaUrl' },
      banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    }),
  })));
  return present.map(([out]) => out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildNode();
  console.log(`[build:node] ${built.length} bundles -> dist/`);
}
