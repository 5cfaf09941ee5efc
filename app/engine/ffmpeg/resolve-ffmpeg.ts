import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

export interface ResolvedFfmpeg {
  path: string;
  /** Where it came from, for health and logs. */
  origin: 'ffmpeg-static' | 'FFMPEG_PATH' | 'PATH';
  /** First line of `ffmpeg -version`, e.g. `ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers`. */
  version: string | null;
}

let cached: ResolvedFfmpeg | null = null;

/**
 * ffmpeg is resolved from the optional `ffmpeg-static` package, then `FFMPEG_PATH`, then `ffmpeg` on PATH.
 * ffmpeg-static's install downloads a binary from GitHub, so it is optional and often absent.
 * Throws an officer-readable Error when none works.
 */
export function resolveFfmpeg(): ResolvedFfmpeg {
  if (cached) return cached;
  const candidates: Omit<ResolvedFfmpeg, 'version'>[] = [];
  try {
    const req = createRequire(__filename);
    const p = req('ffmpeg-static') as string | null;
    if (p) candidates.push({ path: p, origin: 'ffmpeg-static' });
  } catch {}
  if (process.env.FFMPEG_PATH) candidates.push({ path: process.env.FFMPEG_PATH, origin: 'FFMPEG_PATH' });
  candidates.push({ path: process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg', origin: 'PATH' });
  for (const c of candidates) {
    if (c.origin !== 'PATH' && !fs.existsSync(c.path)) continue;
    const r = spawnSync(c.path, ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 10_000, windowsHide: true });
    if (r.status === 0) return (cached = { ...c, version: r.stdout?.split(/\r?\n/, 1)[0]?.trim() || null });
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
