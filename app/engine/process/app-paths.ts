import fs from 'node:fs';
import path from 'node:path';

/**
 * The application root: the folder holding package.json (the repo in development, app.asar when packaged).
 * Bundles live in <root>/dist; workers in <root>/dist/node.
 */
export function appRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return process.cwd();
}
export const workersDir = (): string => process.env.WATCHROOM_WORKERS_DIR ?? path.join(appRoot(), 'dist', 'node');
/** Shipped manifests (and native-models/generated, converted at install); WATCHROOM_NATIVE_MODELS_DIR overrides (tests). */
export const nativeModelsDir = (): string => process.env.WATCHROOM_NATIVE_MODELS_DIR ?? path.join(appRoot(), 'native-models');

/**
 * A path inside a packaged app's `app.asar` archive as it exists on disk: files the OS must open itself (a
 * spawned binary such as ffmpeg-static's, a native addon) are unpacked beside the archive into
 * `app.asar.unpacked` (electron-builder.yml's asarUnpack); the OS cannot execute a path inside the archive.
 * Paths outside an archive are returned unchanged.
 */
export function asarUnpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
