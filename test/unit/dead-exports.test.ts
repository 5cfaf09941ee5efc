import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDeadExports } from '../../scripts/dead-exports.mjs';

// The dead-export check of `npm run lint`, on a small project written for the test.
describe('dead-export check', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dead-exports-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('app/a.ts', 'export const used = 1;\nexport const nobody = 2;\nexport interface Local { x: number }\nexport function make(o: Local) { return o; }\nexport type Typed = string;\n');
  write('app/b.ts', "import { used, make } from './a';\nexport type T = import('./a').Typed;\nexport const b = used + make({ x: 1 }).x;\n");
  write('app/c.ts', "import type { T } from './b';\nimport { b } from './b';\nimport * as all from './d';\nexport { again } from './e';\nexport const c: T = String(b + all.d1);\n");
  write('app/d.ts', 'export const d1 = 1;\nexport const d2 = 2;\n');
  write('app/e.ts', 'export const again = 1;\nexport const lost = 2;\n');
  write('app/orphan.ts', 'export const o = 1;\n');
  write('app/tool.entry.ts', "import { c } from './c';\nexport const main = c;\n");
  write('app/dyn.ts', 'export const viaDynamicImport = 1;\n');
  write('test/uses.test.ts', "void import('../app/dyn');\n");

  const found = findDeadExports(root).map((d) => `${d.file}:${d.name ?? '(module)'}${d.usedInModule ? ' local' : ''}`);

  it('reports an export nobody uses, and a module nobody imports', () => {
    expect(found).toContain('app/a.ts:nobody');
    expect(found).toContain('app/e.ts:lost');
    expect(found).toContain('app/orphan.ts:(module)');
  });

  it('tells an export used only in its own module apart (its `export` is superfluous, not an error)', () => {
    expect(found).toContain('app/a.ts:Local local');
  });

  it('counts named, type, namespace, re-exported, import() type and dynamic import uses; entry points may export freely', () => {
    expect(found).toEqual(['app/a.ts:Local local', 'app/a.ts:nobody', 'app/c.ts:again', 'app/e.ts:lost', 'app/orphan.ts:(module)']);
  });
});
