// Bundles every Node-side entry (Electron main + preload, engine workers, headless host, CLIs) with esbuild.
// Packages stay external (node_modules ship beside the bundles); output is CommonJS because sandboxed
// preloads must be CommonJS and Electron's utility processes load plain scripts.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
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
  'node/evidence.cjs': 'app/cli/evidence.ts',
  'node/api-token.cjs': 'app/cli/api-token.ts',
  'node/convert-models.cjs': 'app/cli/convert-models.ts',
};

/** The IPC channel names, read from the contracts (app/shared/ipc/contracts.ts) at build time. */
async function channelNames() {
  const r = await esbuild.build({ absWorkingDir: root, entryPoints: ['app/shared/ipc/contracts.ts'], bundle: true, platform: 'node', format: 'cjs', packages: 'external', write: false, logLevel: 'warning' });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', r.outputFiles[0].text)(mod, mod.exports, createRequire(path.join(root, 'package.json')));
  return { invoke: Object.keys(mod.exports.invokeContract), push: Object.keys(mod.exports.pushContract) };
}

/**
 * The preload carries channel names only (issue 18): app/preload/channel-names.ts becomes literal lists, so
 * neither zod nor the schemas are bundled into it; main validates every payload.
 */
const channelNamesOnly = (names) => ({
  name: 'channel-names-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]app[\\/]preload[\\/]channel-names\.ts$/ }, () => ({
      loader: 'ts',
      contents: `export const INVOKE_CHANNELS = ${JSON.stringify(names.invoke)};
export const PUSH_CHANNELS = ${JSON.stringify(names.push)};
const invokeNames = new Set(INVOKE_CHANNELS);
const pushNames = new Set(PUSH_CHANNELS);
export const isInvokeChannelName = (c) => typeof c === 'string' && invokeNames.has(c);
export const isPushChannelName = (c) => typeof c === 'string' && pushNames.has(c);
`,
    }));
  },
});

export async function buildNode() {
  const present = Object.entries(entries).filter(([, src]) => fs.existsSync(path.join(root, src)));
  const names = present.some(([out]) => out.startsWith('preload/')) ? await channelNames() : null;
  await Promise.all(present.map(([out, src]) => esbuild.build({
    absWorkingDir: root,
    entryPoints: [src],
    outfile: path.join('dist', out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Sandboxed preloads can only require('electron'): bundle every other package into the preload.
    ...(out.startsWith('preload/') ? { external: ['electron'], plugins: [channelNamesOnly(names)] } : { packages: 'external' }),
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
