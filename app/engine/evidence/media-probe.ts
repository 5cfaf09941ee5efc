import { spawn, spawnSync } from 'node:child_process';
import { resolveFfmpeg, resolveFfprobe } from '../ffmpeg/resolve-ffmpeg';

/** What playback and export need to know about a recorded file. */
export interface MediaFacts {
  durationMs: number;
  /** Video codec (`h264`, `hevc`, …) or null when there is no video stream. */
  codec: string | null;
  /** Frames per second of the video stream (0 when unknown). */
  fps: number;
  width: number;
  height: number;
}

/** ffprobe of one file (synchronous: a segment header is read in milliseconds); null when unreadable. */
export function probeMedia(file: string): MediaFacts | null {
  const r = spawnSync(resolveFfprobe(), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'format=duration:stream=codec_name,avg_frame_rate,r_frame_rate,width,height', '-of', 'json', file], {
    encoding: 'utf8',
    timeout: 15_000,
    windowsHide: true,
  });
  if (r.status !== 0 || !r.stdout) return null;
  try {
    const j = JSON.parse(r.stdout) as { format?: { duration?: string }; streams?: { codec_name?: string; avg_frame_rate?: string; r_frame_rate?: string; width?: number; height?: number }[] };
    const s = j.streams?.[0];
    const durationMs = Math.round(Number(j.format?.duration) * 1000);
    if (!Number.isFinite(durationMs) || durationMs <= 0) return null;
    return { durationMs, codec: s?.codec_name ?? null, fps: rate(s?.avg_frame_rate) || rate(s?.r_frame_rate), width: s?.width ?? 0, height: s?.height ?? 0 };
  } catch {
    return null;
  }
}

function rate(r: string | undefined): number {
  if (!r) return 0;
  const [n, d] = r.split('/').map(Number);
  return n && d ? n / d : 0;
}

/** Codecs every renderer (Chromium's <video>, Electron) plays without a transcode. */
export const BROWSER_PLAYABLE_CODECS: ReadonlySet<string> = new Set(['h264']);

export class FfmpegCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Runs ffmpeg to completion. `onProgress` gets the output time in ms (from `-progress pipe:1`); an aborted
 * `signal` kills it (SIGKILL: a stalled ffmpeg ignores SIGTERM) and rejects with FfmpegCancelled.
 */
export function runFfmpeg(args: readonly string[], o: { signal?: AbortSignal; onProgress?: (outMs: number) => void } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new FfmpegCancelled());
    const child = spawn(resolveFfmpeg().path, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-progress', 'pipe:1', ...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        const m = /^out_time_(?:us|ms)=(\d+)$/.exec(line);
        if (m) o.onProgress?.(Number(m[1]) / 1000);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 8000) stderr += d;
    });
    const onAbort = () => child.kill('SIGKILL');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('error', (e) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.once('close', (code) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (o.signal?.aborted) reject(new FfmpegCancelled());
      else if (code === 0) resolve();
      else reject(new Error(`ffmpeg failed (${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}
