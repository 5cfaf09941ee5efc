import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { asarUnpackedPath } from '../process/app-paths';

export interface ResolvedFfmpeg {
  path: string;
  /** Where it came from, for health and logs. */
  origin: 'ffmpeg-static' | 'FFMPEG_PATH' | 'PATH';
  /** First line of `ffmpeg -version`, e.g. `ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers`. */
  version: string | null;
}

let cached: ResolvedFfmpeg | null = null;

export interface ResolveFfmpegOptions {
  /** ffmpeg-static's exported path, or null when the optional package is absent (default: require it). */
  ffmpegStatic?: () => string | null;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

function requireFfmpegStatic(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('ffmpeg-static') as string | null;
  } catch {
    return null;
  }
}

/** Where ffmpeg may come from, in order (paths as they exist on disk: inside a packaged app, app.asar.unpacked). */
export function ffmpegCandidates(o: ResolveFfmpegOptions = {}): Omit<ResolvedFfmpeg, 'version'>[] {
  const env = o.env ?? process.env;
  const candidates: Omit<ResolvedFfmpeg, 'version'>[] = [];
  const fromPackage = (o.ffmpegStatic ?? requireFfmpegStatic)();
  if (fromPackage) candidates.push({ path: asarUnpackedPath(fromPackage), origin: 'ffmpeg-static' });
  if (env.FFMPEG_PATH) candidates.push({ path: env.FFMPEG_PATH, origin: 'FFMPEG_PATH' });
  candidates.push({ path: (o.platform ?? process.platform) === 'win32' ? 'ffmpeg.exe' : 'ffmpeg', origin: 'PATH' });
  return candidates;
}

/**
 * ffmpeg is resolved from the optional `ffmpeg-static` package, then `FFMPEG_PATH`, then `ffmpeg` on PATH.
 * ffmpeg-static's install downloads a binary from GitHub, so it is optional and often absent. In a packaged
 * app its path points into app.asar, which the OS cannot execute: the unpacked copy is used (asarUnpackedPath).
 * Throws an officer-readable Error when none works. Options are for tests (and skip the cache).
 */
export function resolveFfmpeg(o?: ResolveFfmpegOptions): ResolvedFfmpeg {
  if (cached && !o) return cached;
  for (const c of ffmpegCandidates(o)) {
    if (c.origin !== 'PATH' && !fs.existsSync(c.path)) continue;
    const r = spawnSync(c.path, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
    if (r.status !== 0) continue;
    const found = { ...c, version: r.stdout?.split(/\r?\n/, 1)[0]?.trim() || null };
    if (!o) cached = found;
    return found;
  }
  throw new Error('ffmpeg was not found. Install ffmpeg (Debian: apt-get install ffmpeg), or set FFMPEG_PATH to its full path.');
}

/** ffprobe beside the resolved ffmpeg, or on PATH. */
export function resolveFfprobe(): string {
  const ff = resolveFfmpeg().path;
  const sibling = ff.replace(/ffmpeg(\.exe)?$/i, (_m, ext: string | undefined) => `ffprobe${ext ?? ''}`);
  if (sibling !== ff && fs.existsSync(sibling)) return sibling;
  return process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe';
}
