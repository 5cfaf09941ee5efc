import { spawn } from 'node:child_process';

/** What a segment file holds: its video duration and codec (as ffmpeg names it). */
export interface SegmentProbe {
  durationS: number;
  codec: string | null;
  packets: number;
}

/**
 * Reads a segment file through ffmpeg (`-c copy -f framecrc`: every packet, nothing decoded) and returns the span
 * of its video packets, or null when nothing in it plays (no complete fragment). Uses ffmpeg itself rather than
 * ffprobe: ffmpeg is what the app resolves and ships (ffmpeg-static has no ffprobe).
 */
export function probeSegment(ffmpegPath: string, file: string, timeoutMs = 30_000): Promise<SegmentProbe | null> {
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath, ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'framecrc', 'pipe:1'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve(parseFramecrc(text));
    });
  });
}

/** Duration (first pts .. last pts + its duration) and codec from framecrc text; null without packets. */
export function parseFramecrc(text: string): SegmentProbe | null {
  let tb = 0;
  let codec: string | null = null;
  let min = Infinity;
  let max = -Infinity;
  let packets = 0;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('#tb 0:')) {
      const [n, d] = line.slice(6).trim().split('/').map(Number);
      if (n && d) tb = n / d;
    } else if (line.startsWith('#codec_id 0:')) codec = line.slice(12).trim() || null;
    else if (/^0,/.test(line)) {
      // stream, dts, pts, duration, size, crc
      const f = line.split(',').map((s) => s.trim());
      const pts = Number(f[2]);
      const dur = Number(f[3]);
      if (!Number.isFinite(pts) || Math.abs(pts) > 1e15) continue;
      packets++;
      min = Math.min(min, pts);
      max = Math.max(max, pts + (Number.isFinite(dur) ? dur : 0));
    }
  }
  if (!packets || !tb) return null;
  return { durationS: Math.max(0, (max - min) * tb), codec, packets };
}
