// Dead exports: names exported from a module under app/ that nothing uses. Part of `npm run lint`.
// Parse-only (the TypeScript parser, no type checking), so it takes seconds: it reads every import and re-export
// in app/, test/, e2e/ and scripts/ (static, `import type`, `import('…')` types; a dynamic `import()` or
// `require()` counts as using every export), resolves relative specifiers to files, and reports
//   - a module no file imports (not an entry point): delete it, or make it an entry point below;
//   - an exported name that no other file imports and its own module does not use either: dead code, delete it.
// An exported name used only inside its own module (often an options type of an exported class) is not an error;
// `node scripts/dead-exports.mjs --all` lists those too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { entries } from './build-node.mjs';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Files whose exports are read by a bundler, a tool, a test runner or generated code, never by an import. */
export const ENTRY_POINTS = [
  ...Object.values(entries).map((file) => new RegExp(`^${escape(file)}$`)), // bundled by path (scripts/build-node.mjs)
  /-child\.test-support\.ts$/, // bundled by path by a test, run as a child process
  /\.entry\.tsx?$/, // worker and host entries, by naming convention
  /^app\/renderer\/src\/main\.tsx$/, // the renderer bundle's entry (vite)
  /\.test\.tsx?$/, // test files (vitest)
  /\.config\.[cm]?[jt]s$/, // tool configuration
  /^app\/main\/__fakes__\//, // Electron fakes: also imported by worker scripts that tests generate as text
];

/** Folders whose files may import from app/ (they count as users); only files under `candidates` are checked. */
const SCANNED = ['app', 'test', 'e2e', 'scripts'];
const EXTENSIONS = ['.ts', '.tsx', '.mts'];
const ALL = '*';

function listFiles(root, dirs) {
  const out = [];
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (EXTENSIONS.some((x) => e.name.endsWith(x)) && !e.name.endsWith('.d.ts') && !e.name.endsWith('.d.mts')) out.push(child);
    }
  };
  for (const d of dirs) walk(d);
  for (const f of fs.readdirSync(root)) if (/\.config\.[cm]?ts$/.test(f)) out.push(f);
  return out;
}

function resolveSpecifier(root, fromFile, spec, known) {
  if (!spec.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  const stem = base.replace(/\.(m?js|jsx)$/, '');
  const tries = [base, ...EXTENSIONS.map((x) => stem + x), ...EXTENSIONS.map((x) => `${base}/index${x}`)];
  return tries.find((t) => known.has(t)) ?? null;
}

const hasExport = (node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDefault = (node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

/** Exported names of one module, and what it takes from others: `uses` maps a resolved file to names (or `*`). */
function readModule(root, file, known) {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const exported = new Set();
  const uses = new Map();
  const use = (spec, name) => {
    const target = resolveSpecifier(root, file, spec, known);
    if (!target || target === file) return;
    if (!uses.has(target)) uses.set(target, new Set());
    uses.get(target).add(name);
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      const c = st.importClause;
      if (!c) continue;
      if (c.name) use(spec, 'default');
      if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) use(spec, ALL);
      if (c.namedBindings && ts.isNamedImports(c.namedBindings)) for (const el of c.namedBindings.elements) use(spec, (el.propertyName ?? el.name).text);
    } else if (ts.isExportDeclaration(st)) {
      const spec = st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : null;
      if (!st.exportClause) {
        if (spec) use(spec, ALL);
      } else if (ts.isNamespaceExport(st.exportClause)) {
        exported.add(st.exportClause.name.text);
        if (spec) use(spec, ALL);
      } else {
        for (const el of st.exportClause.elements) {
          exported.add(el.name.text);
          if (spec) use(spec, (el.propertyName ?? el.name).text);
        }
      }
    } else if (ts.isExportAssignment(st)) {
      exported.add('default');
    } else if (hasExport(st)) {
      if (hasDefault(st)) exported.add('default');
      else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) exported.add(d.name.text);
      } else if (st.name && ts.isIdentifier(st.name)) exported.add(st.name.text);
    }
  }
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.arguments.length && ts.isStringLiteralLike(node.arguments[0])) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) use(node.arguments[0].text, ALL);
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      let q = node.qualifier;
      while (q && ts.isQualifiedName(q)) q = q.left;
      use(node.argument.literal.text, q ? q.text : ALL);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { exported, uses, sf };
}

/** Whether `name` occurs in the module other than in its own export declaration (a local use). */
function usedLocally(sf, name) {
  let count = 0;
  const visit = (node) => {
    if (ts.isIdentifier(node) && node.text === name) count++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return count > 1;
}

/**
 * What is dead under `candidates` (default: app/): `{ file, name, usedInModule }` rows sorted by file and name;
 * `name` is null for a module nobody imports. Rows with `usedInModule` are exports only their own module uses.
 */
export function findDeadExports(root, { candidates = 'app/', entryPoints = ENTRY_POINTS, scanned = SCANNED } = {}) {
  const files = listFiles(root, scanned);
  const known = new Set(files);
  const modules = new Map(files.map((f) => [f, readModule(root, f, known)]));
  const wanted = new Map();
  for (const m of modules.values()) {
    for (const [target, names] of m.uses) {
      if (!wanted.has(target)) wanted.set(target, new Set());
      for (const n of names) wanted.get(target).add(n);
    }
  }
  const dead = [];
  for (const [file, m] of modules) {
    if (!file.startsWith(candidates) || entryPoints.some((re) => re.test(file))) continue;
    const w = wanted.get(file);
    if (!w) {
      dead.push({ file, name: null, usedInModule: false });
      continue;
    }
    if (w.has(ALL)) continue;
    for (const name of m.exported) if (!w.has(name)) dead.push({ file, name, usedInModule: name !== 'default' && usedLocally(m.sf, name) });
  }
  return dead.sort((a, b) => a.file.localeCompare(b.file) || (a.name ?? '').localeCompare(b.name ?? ''));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const all = process.argv.includes('--all');
  const found = findDeadExports(root);
  const dead = found.filter((d) => !d.usedInModule);
  for (const d of all ? found : dead) {
    const what = d.name === null ? 'no file imports this module' : d.usedInModule ? `${d.name} (used only in its own module)` : d.name;
    console.log(`${d.file}: ${what}`);
  }
  if (dead.length) {
    console.error(`\n${dead.length} dead export(s) or module(s) (scripts/dead-exports.mjs): delete them, or list a real entry point in ENTRY_POINTS.`);
    process.exit(1);
  }
}
