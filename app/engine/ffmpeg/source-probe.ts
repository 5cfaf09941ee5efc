import { spawnSync } from 'node:child_process';
import { resolveFfprobe } from './resolve-ffmpeg';

/** What ffprobe says about a file/URL/image source. */
export interface SourceProbe {
  width: number;
  height: number;
  /** Average frame rate, null when unknown. */
  fps: number | null;
  durationS: number | null;
  /** A still image: analysed as one frame. */
  isImage: boolean;
}

export function probeSource(source: string, timeoutMs = 20_000): SourceProbe {
  const r = spawnSync(resolveFfprobe(), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,avg_frame_rate,r_frame_rate:format=duration,format_name', '-of', 'json', source], { encoding: 'utf8', timeout: timeoutMs, windowsHide: true });
  if (r.status !== 0) throw new Error(`cannot read ${source}: ${(r.stderr || r.error?.message || 'ffprobe failed').trim().split('\n').pop()}`);
  const j = JSON.parse(r.stdout) as { streams?: { width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string }[]; format?: { duration?: string; format_name?: string } };
  const s = j.streams?.[0];
  if (!s?.width || !s.height) throw new Error(`${source} has no video stream`);
  const rate = (v?: string): number | null => {
    const [a, b] = (v ?? '').split('/').map(Number);
    return a && b ? a / b : null;
  };
  const fmt = j.format?.format_name ?? '';
  const isImage = /(^|,)(image2|png_pipe|jpeg_pipe|bmp_pipe|webp_pipe|tiff_pipe|gif)($|,)/.test(fmt) && !(Number(j.format?.duration) > 0.2);
  const dur = Number(j.format?.duration);
  return { width: s.width, height: s.height, fps: rate(s.avg_frame_rate) ?? rate(s.r_frame_rate), durationS: Number.isFinite(dur) && dur > 0 ? dur : null, isImage };
}
