import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeContract, pushContract } from '../../app/shared/ipc/contracts';
import { repoRoot } from '../support/shared-fixtures';

// The sandboxed preload carries channel names only; schemas and zod stay in main, which validates every
// payload (issue 18: it was 846 KB). dist/ is built by the vitest global setup (scripts/build-node.mjs).
describe('the built preload', () => {
  const code = fs.readFileSync(path.join(repoRoot, 'dist', 'preload', 'preload.cjs'), 'utf8');

  it('is small and bundles neither zod nor the schemas', () => {
    expect(Buffer.byteLength(code)).toBeLessThan(32 * 1024);
    expect(code).not.toMatch(/\bzod\b|ZodError|safeParse/);
    expect([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('knows every channel of the contracts by name', () => {
    for (const name of [...Object.keys(invokeContract), ...Object.keys(pushContract)]) expect(code).toContain(JSON.stringify(name));
  });
});
