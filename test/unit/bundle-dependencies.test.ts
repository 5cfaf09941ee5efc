import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/shared-fixtures';

// What a production install (`npm ci --omit=dev`, and therefore electron-builder's package) holds is the
// production dependency tree. Every bundle in dist/ that ships must require nothing else, or the installed app
// crashes at launch with "Cannot find module" (jpeg-js was a devDependency the host required at start).
// dist/ is built by the vitest global setup (scripts/build-node.mjs).

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as LockEntry & { devDependencies: Record<string, string> };
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** Node's resolution over the lockfile's folder layout: `name` as seen from the package at lock key `from`. */
function resolveInLock(from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (!dir) return null;
    const i = dir.lastIndexOf('/node_modules/');
    dir = i < 0 ? '' : dir.slice(0, i);
  }
}

/** Lock keys of every package a production install puts on disk (dependencies, optional ones, required peers). */
function productionTree(): { keys: Set<string>; unresolved: string[] } {
  const keys = new Set<string>();
  const unresolved: string[] = [];
  const visit = (from: string, entry: LockEntry, optionalOk: boolean) => {
    const wanted: [string, boolean][] = [
      ...Object.keys(entry.dependencies ?? {}).map((n): [string, boolean] => [n, false]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((n): [string, boolean] => [n, true]),
      ...Object.keys(entry.peerDependencies ?? {}).map((n): [string, boolean] => [n, entry.peerDependenciesMeta?.[n]?.optional === true]),
    ];
    for (const [name, optional] of wanted) {
      const key = resolveInLock(from, name);
      if (!key) {
        if (!optional && !optionalOk) unresolved.push(`${from || '<root>'} -> ${name}`);
        continue;
      }
      if (keys.has(key)) continue;
      keys.add(key);
      visit(key, lock.packages[key]!, optional || optionalOk);
    }
  };
  visit('', { dependencies: pkg.dependencies, optionalDependencies: pkg.optionalDependencies }, false);
  return { keys, unresolved };
}

/** Package name of a require specifier (`@scope/name/sub` -> `@scope/name`), or null for Node built-ins and relative paths. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('node:') || specifier.startsWith('.') || path.isAbsolute(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? null : name;
}

/** Every `require("x")` with a literal argument in a bundle (esbuild keeps external imports as such calls). */
function requiredPackages(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/\brequire\(\s*(["'])([^"'\s]+)\1\s*\)/g)) {
    const name = packageOf(m[2]!);
    if (name) found.add(name);
  }
  return [...found].sort();
}

const distDir = path.join(repoRoot, 'dist');
function bundles(): string[] {
  const out: string[] = [];
  for (const sub of ['main', 'preload', 'node']) {
    const dir = path.join(distDir, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith('.cjs')) out.push(`${sub}/${f}`);
  }
  return out.sort();
}

/** Bundles that run only at install or build time and are left out of the package (electron-builder.yml's `files`). */
const BUILD_TIME_BUNDLES: Record<string, string> = {
  'node/convert-models.cjs': 'the model converter run by `npm install` (postinstall); the package ships its output, native-models/generated',
};
/** Modules the Electron runtime itself provides to main and preload (never in node_modules). */
const ELECTRON_PROVIDED = new Set(['electron']);

/** The string lists under `key:` in electron-builder.yml (a flat `- item` list). */
function builderList(key: string): string[] {
  const yml = fs.readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8').split(/\r?\n/);
  const start = yml.findIndex((l) => l === `${key}:`);
  if (start < 0) return [];
  const items: string[] = [];
  for (const line of yml.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const m = /^\s+-\s+(.*?)\s*$/.exec(line);
    if (m) items.push(m[1]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return items;
}

/** electron-builder's glob subset used in our lists: `**` any depth, `*` within one path segment. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
const matchesAny = (file: string, globs: string[]) => globs.some((g) => globToRegExp(g).test(file));

describe('production dependency audit of the built bundles', () => {
  const tree = productionTree();
  const prodNames = new Set([...tree.keys].map((k) => k.slice(k.lastIndexOf('node_modules/') + 'node_modules/'.length)));

  it('the production tree resolves completely from package-lock.json', () => {
    expect(tree.unresolved).toEqual([]);
    expect(prodNames.size).toBeGreaterThan(Object.keys(pkg.dependencies ?? {}).length);
  });

  it('every runtime require() of every shipped bundle is a package of the production tree', () => {
    const all = bundles();
    expect(all).toEqual(expect.arrayContaining(['main/main.cjs', 'preload/preload.cjs', 'node/headless.cjs', 'node/camera-worker.cjs', 'node/inference-worker.cjs']));
    const missing: string[] = [];
    for (const b of all) {
      if (BUILD_TIME_BUNDLES[b]) continue;
      const electronHost = b.startsWith('main/') || b.startsWith('preload/');
      for (const name of requiredPackages(fs.readFileSync(path.join(distDir, b), 'utf8'))) {
        if (electronHost && ELECTRON_PROVIDED.has(name)) continue;
        if (!prodNames.has(name)) missing.push(`${b} requires ${name}${pkg.devDependencies[name] ? ' (a devDependency)' : ''}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds what a bundle requires, and sees a devDependency as missing', () => {
    expect(requiredPackages(`const a = require("jpeg-js"); require('node:fs'); require("fs"); require("@scope/pkg/sub"); require('./x');`)).toEqual(['@scope/pkg', 'jpeg-js']);
    expect(prodNames.has('jpeg-js')).toBe(true);
    expect(prodNames.has('electron')).toBe(false);
    // only what runs ships (issue 18 A2): the converter's source package stays out of a production install
    expect(prodNames.has('@vladmandic/human')).toBe(false);
  });

  it("electron-builder's files keep every shipped bundle and leave the build-time ones out", () => {
    const files = builderList('files');
    const includes = files.filter((f) => !f.startsWith('!'));
    const excludes = files.filter((f) => f.startsWith('!')).map((f) => f.slice(1));
    for (const b of bundles()) {
      const rel = `dist/${b}`;
      const shipped = matchesAny(rel, includes) && !matchesAny(rel, excludes);
      expect({ bundle: rel, shipped }).toEqual({ bundle: rel, shipped: !BUILD_TIME_BUNDLES[b] });
    }
    // electron-builder adds the production node_modules itself; no exclusion may drop one a bundle requires
    const required = new Set(bundles().filter((b) => !BUILD_TIME_BUNDLES[b]).flatMap((b) => requiredPackages(fs.readFileSync(path.join(distDir, b), 'utf8'))));
    const dropped = [...required].filter((n) => !ELECTRON_PROVIDED.has(n) && matchesAny(`node_modules/${n}/package.json`, excludes));
    expect(dropped).toEqual([]);
    expect(matchesAny('package.json', includes)).toBe(true);
    expect(matchesAny('native-models/generated/centernet.onnx', includes)).toBe(true);
  });

  it('native addons and spawned binaries of the production tree are unpacked from the asar archive', () => {
    const unpack = builderList('asarUnpack');
    // packages whose files are executed by the OS (a .node addon loaded with dlopen, a binary spawned as a process)
    const SPAWNED_BINARIES = ['ffmpeg-static'];
    const needUnpack = new Set(SPAWNED_BINARIES.filter((n) => prodNames.has(n)));
    const hasNative = (dir: string, depth = 0): boolean => {
      if (depth > 6 || !fs.existsSync(dir)) return false;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isFile() && e.name.endsWith('.node')) return true;
        if (e.isDirectory() && e.name !== 'node_modules' && hasNative(path.join(dir, e.name), depth + 1)) return true;
      }
      return false;
    };
    for (const key of tree.keys) if (hasNative(path.join(repoRoot, key))) needUnpack.add(key.slice(key.lastIndexOf('node_modules/') + 13));
    expect([...needUnpack].sort()).toEqual(expect.arrayContaining(['better-sqlite3', 'ffmpeg-static', 'onnxruntime-node']));
    const packed = [...needUnpack].filter((n) => !matchesAny(`node_modules/${n}/lib/x.node`, unpack));
    expect(packed).toEqual([]);
  });
});
