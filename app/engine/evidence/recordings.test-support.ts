import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Writes a test recording the way the recorder lays it out: `<root>/<cameraId>/<YYYY-MM-DD>/<startMs>.<ext>`,
 * segments of `segmentS` seconds (H.264, or H.265 with `codec: 'hevc'`; a key frame every second) of ffmpeg's `testsrc2` pattern (a moving
 * picture with a frame counter, so frames of different moments differ), fragmented MP4 or MPEG-TS.
 */
export function writeTestRecording(root: string, cameraId: string, startMs: number, seconds: number, o: { format?: 'mp4' | 'ts'; size?: string; segmentS?: number; codec?: 'h264' | 'hevc' } = {}): string[] {
  const format = o.format ?? 'mp4';
  const segS = o.segmentS ?? 2;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-rec-'));
  try {
    const muxer = format === 'mp4' ? ['-segment_format', 'mp4', '-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof'] : ['-segment_format', 'mpegts'];
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${o.size ?? '640x360'}:rate=25:duration=${seconds}`, ...(o.codec === 'hevc' ? ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error', '-tag:v', 'hvc1'] : ['-c:v', 'libx264', '-preset', 'ultrafast']), '-g', '25', '-pix_fmt', 'yuv420p', '-f', 'segment', '-segment_time', String(segS), '-reset_timestamps', '1', ...muxer, path.join(tmp, `seg%04d.${format}`)]);
    const out: string[] = [];
    for (const f of fs.readdirSync(tmp).sort()) {
      const i = Number(/(\d+)/.exec(f)![1]);
      const at = startMs + i * segS * 1000;
      const day = new Date(at).toISOString().slice(0, 10);
      const dest = path.join(root, cameraId, day, `${at}.${format}`);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.renameSync(path.join(tmp, f), dest);
      out.push(dest);
    }
    return out;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** One decoded frame as 8-bit grey (ffmpeg, exact seek by decoding), `width`×`height`. */
export function greyFrame(file: string, atS: number, width: number, height: number): Uint8Array {
  const buf = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', file, '-ss', atS.toFixed(3), '-frames:v', '1', '-vf', `scale=${width}:${height}`, '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'], { maxBuffer: 64 * 1024 * 1024 });
  return new Uint8Array(buf);
}

/** ffprobe's duration of a file, seconds. */
export function durationS(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file], { encoding: 'utf8' }).trim());
}

/** Mean absolute difference of two grey frames inside a rectangle (fractions of the frame). */
export function meanDiff(a: Uint8Array, b: Uint8Array, width: number, height: number, r = { x0: 0, y0: 0, x1: 1, y1: 1 }): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(r.y0 * height); y < Math.floor(r.y1 * height); y++)
    for (let x = Math.floor(r.x0 * width); x < Math.floor(r.x1 * width); x++) {
      sum += Math.abs(a[y * width + x]! - b[y * width + x]!);
      n++;
    }
  return n ? sum / n : 0;
}

/** Mean grey level inside a rectangle. */
export function meanLevel(a: Uint8Array, width: number, height: number, r: { x0: number; y0: number; x1: number; y1: number }): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(r.y0 * height); y < Math.floor(r.y1 * height); y++)
    for (let x = Math.floor(r.x0 * width); x < Math.floor(r.x1 * width); x++) {
      sum += a[y * width + x]!;
      n++;
    }
  return n ? sum / n : 0;
}
