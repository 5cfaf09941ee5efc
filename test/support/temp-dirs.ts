import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/**
 * Temporary directories for a test file: returns a function making one (`<tmp>/<prefix>XXXXXX`); all are removed
 * after each test. Call it at the top level before registering hooks that close what lives in those directories
 * (databases, engines): vitest runs afterEach hooks last-registered first, so those close before the removal.
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}
