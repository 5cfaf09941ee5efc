// `npm start`: builds what is missing, then runs the Electron desktop app when its binary is installed and
// usable, otherwise the headless host (same renderer, served on 127.0.0.1). Extra arguments are passed on
// (e.g. `npm start -- --data-dir ./.data`). Force a host with `--headless` or WATCHROOM_HOST=headless|electron.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let args = process.argv.slice(2);
const forceHeadless = args.includes('--headless') || process.env.WATCHROOM_HOST === 'headless';
args = args.filter((a) => a !== '--headless');

/** Electron's executable, without triggering electron's own download-on-require (it would hang offline). */
export function electronBinary() {
  const pkg = path.join(root, 'node_modules', 'electron');
  let rel;
  try {
    rel = fs.readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  const exe = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : path.join(pkg, 'dist', rel);
  if (!fs.existsSync(exe)) return null;
  const probe = spawnSync(exe, ['--version'], { timeout: 15_000, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  return probe.status === 0 ? exe : null;
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function run(cmd, cmdArgs, opts) {
  const child = spawn(cmd, cmdArgs, { cwd: root, ...opts });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.exitCode === null && child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
  child.on('error', (err) => {
    console.error(`[start] could not run ${cmd}: ${err.message}`);
    process.exit(1);
  });
  return child;
}

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-if-missing.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const wantElectron = process.env.WATCHROOM_HOST === 'electron' || (!forceHeadless && hasDisplay());
const electron = wantElectron ? electronBinary() : null;
if (electron) {
  console.log('[start] host: Electron desktop app');
  run(electron, [root, ...args], { stdio: 'inherit' });
} else {
  const why = forceHeadless ? 'asked for' : !hasDisplay() ? 'no display' : 'Electron binary not installed';
  console.log(`[start] host: headless (${why}); the renderer is served on 127.0.0.1`);
  // The host prints its address (with the session token) once it listens.
  run(process.execPath, [path.join(root, 'dist', 'node', 'headless.cjs'), ...args], { stdio: 'inherit' });
}
