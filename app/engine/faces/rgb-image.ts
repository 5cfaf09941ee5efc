import { spawn, spawnSync } from 'node:child_process';
import { resolveFfmpeg, resolveFfprobe } from '../ffmpeg/resolve-ffmpeg';
import { probeSource } from '../ffmpeg/source-probe';

/** An 8-bit RGB picture, rows top to bottom, 3 bytes a pixel. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A photo (or the first frame of a clip) as RGB at its own size; throws a plain message when it is unreadable. */
export function readRgbImage(file: string): RgbImage {
  let width: number;
  let height: number;
  try {
    ({ width, height } = probeSource(file));
  } catch (e) {
    throw new Error(`${file} is not a readable picture (${(e as Error).message})`, { cause: e });
  }
  const r = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: width * height * 3 + 1024, timeout: 30_000, windowsHide: true });
  const bytes = width * height * 3;
  if (r.status !== 0 || !r.stdout || r.stdout.length < bytes) {
    const why = (r.stderr?.toString() || r.error?.message || 'no picture decoded').trim().split('\n').pop();
    throw new Error(`${file} is not a readable picture (${why})`);
  }
  return { data: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, bytes), width, height };
}

/** A photo given as its file bytes (an upload), decoded through ffmpeg's stdin; nothing is written to disk. */
export function decodeRgbImage(bytes: Uint8Array, label: string): RgbImage {
  const probe = spawnSync(resolveFfprobe(), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', '-i', 'pipe:0'], { input: bytes, encoding: 'utf8', timeout: 30_000, windowsHide: true });
  const s = probe.status === 0 ? (JSON.parse(probe.stdout) as { streams?: { width?: number; height?: number }[] }).streams?.[0] : undefined;
  if (!s?.width || !s.height) throw new Error(`${label} is not a readable picture`);
  const { width, height } = s;
  const r = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-i', 'pipe:0', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { input: bytes, maxBuffer: width * height * 3 + 1024, timeout: 30_000, windowsHide: true });
  const n = width * height * 3;
  if (r.status !== 0 || !r.stdout || r.stdout.length < n) throw new Error(`${label} is not a readable picture`);
  return { data: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, n), width, height };
}

/** Every frame of a video (at `fps` when given) as full-size RGB, in order. */
export async function* readRgbFrames(file: string, opts: { fps?: number; maxFrames?: number } = {}): AsyncGenerator<{ index: number; t: number; image: RgbImage }> {
  const probe = probeSource(file);
  const { width, height } = probe;
  const vf = opts.fps ? ['-vf', `fps=${opts.fps}`] : [];
  const proc = spawn(resolveFfmpeg().path, ['-v', 'error', '-i', file, ...vf, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const frameBytes = width * height * 3;
  const rate = opts.fps ?? probe.fps ?? 1;
  let pending: Buffer = Buffer.alloc(0);
  let index = 0;
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes) {
        const data = new Uint8Array(frameBytes);
        data.set(pending.subarray(0, frameBytes));
        pending = pending.subarray(frameBytes);
        yield { index, t: index / rate, image: { data, width, height } };
        index++;
        if (opts.maxFrames !== undefined && index >= opts.maxFrames) return;
      }
    }
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  }
}

/** The picture scaled down by `k` (0 < k <= 1), each pixel the average of the source pixels it covers. */
export function downscaleRgb(img: RgbImage, k: number): RgbImage {
  const width = Math.max(1, Math.round(img.width * k)), height = Math.max(1, Math.round(img.height * k));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y / k), y1 = Math.min(img.height, Math.max(y0 + 1, Math.floor((y + 1) / k)));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x / k), x1 = Math.min(img.width, Math.max(x0 + 1, Math.floor((x + 1) / k)));
      const n = (y1 - y0) * (x1 - x0);
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += img.data[(yy * img.width + xx) * 3 + c]!;
        data[(y * width + x) * 3 + c] = Math.round(sum / n);
      }
    }
  }
  return { data, width, height };
}
