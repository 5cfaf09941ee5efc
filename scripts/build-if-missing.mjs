// Builds dist/ when it is missing or older than the sources, so `npm start`, `npm run serve` and the CLIs
// work straight after `npm install`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const stamp = (f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0);
const src = newest(path.join(root, 'app'));
const opts = { stdio: 'inherit', cwd: root };
if (stamp(path.join(root, 'dist/node/headless.cjs')) < src) {
  console.log('[build] Node bundles are missing or stale: building');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-node.mjs')], opts);
}
if (stamp(path.join(root, 'dist/renderer/index.html')) < newest(path.join(root, 'app/renderer')) || stamp(path.join(root, 'dist/renderer/index.html')) < newest(path.join(root, 'app/shared'))) {
  console.log('[build] renderer is missing or stale: building');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], opts);
}
