import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one place that knows where the shared fixtures and models live (`../shared` beside the repository, or
 * WATCHROOM_SHARED_DIR). They are read in place and never copied into the repository.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(process.env.WATCHROOM_SHARED_DIR ?? path.join(repoRoot, '..', 'shared'));

export function sharedPath(...parts: string[]): string {
  const p = path.join(sharedDir, ...parts);
  if (!fs.existsSync(p)) throw new Error(`shared fixture missing: ${p} (set WATCHROOM_SHARED_DIR)`);
  return p;
}

export const fixtures = {
  video: (name: string) => sharedPath('fixtures', 'videos', name),
  image: (name: string) => sharedPath('fixtures', 'images', name),
  model: (name: string) => sharedPath('models', name),
  /** fixtures/faces/...: the face detector ONNX files and identities/<person>/<n>.jpg. */
  faces: (...parts: string[]) => sharedPath('fixtures', 'faces', ...parts),
};
export { repoRoot };
