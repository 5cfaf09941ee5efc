import { fileURLToPath } from 'node:url';
import type { SourceKind } from '../../shared/domain/camera';
import { modelInputsPerFrame, tileFractions, type DetectionTiling } from '../../shared/domain/detection-tiling';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { LetterboxInfo, ModelInputSpec } from '../inference/inference-api';
import { PIPE_ENDPOINTS, type FfmpegEndpoints } from './ffmpeg-endpoints';
import { burnMasksIntoGraph } from './mask-filter';

/**
 * Builds the one ffmpeg command a camera worker runs. A single `fps=<analysisFps>` filter feeds a split, so
 * frame i of the display output (MJPEG, `endpoints.jpeg`: fd 3 by default) and frame i of the inference output
 * (raw bgr24/rgb24, letterboxed to the model input, `endpoints.raw`: fd 4) are the same source frame.
 */
export interface FfmpegArgsInput {
  /** Unmasked source (may carry credentials): goes only into the argument list, never into logs. */
  source: string;
  kind: SourceKind;
  /** RTSP transport; ignored for other kinds. */
  rtspTransport: 'tcp' | 'udp';
  /** Frames per second emitted on both outputs. */
  analysisFps: number;
  /** Display JPEGs are scaled down to at most this height (never up). Default 720. */
  displayMaxHeight?: number;
  /** ffmpeg MJPEG quality, 2 (best) .. 31 (worst). Default 5. */
  jpegQuality?: number;
  /** When set, a second output carries raw frames letterboxed to this model input. */
  inference?: ModelInputSpec;
  /**
   * Tiled detection (detection-tiling.ts): each raw frame is several model inputs stacked (vstack), the whole frame
   * first when asked for, then the tiles row by row, each cropped from the frame and letterboxed on its own.
   */
  tiling?: DetectionTiling | null;
  /** Socket I/O timeout for network sources, ms. Default 10 000. */
  ioTimeoutMs?: number;
  /** Platform whose capture API is used for USB cameras. Default process.platform. */
  platform?: NodeJS.Platform;
  /** A unique token put into the arguments (as output metadata) so the process can be found by `pgrep -f`. */
  marker?: string;
  /** Active privacy masks, burned into the display output only (see mask-filter.ts). */
  masks?: PrivacyMask[];
  /**
   * Files only: read at the file's own rate (`-re`, like a live camera; default true). false: as fast as the
   * reader takes the frames (ffmpeg blocks on the pipe), for `bench`'s flat-out runs.
   */
  realtime?: boolean;
  /**
   * Adds `-benchmark_all`: ffmpeg logs the time of each decode (and encode) call on stderr, which the camera turns
   * into its decode latency (decode-timing.ts). Only for ffmpeg versions whose benchmark times the whole decode.
   */
  benchmarkDecode?: boolean;
  /** Where the outputs go and the mask image comes from (ffmpeg-endpoints.ts). Default: inherited pipes 3, 4, 5. */
  endpoints?: FfmpegEndpoints;
}

export interface FfmpegPlan {
  args: string[];
  /** Bytes per raw inference frame (width*height*3, times the model inputs of a tiled frame), or null when inference is off (no raw output). */
  rawFrameBytes: number | null;
  /** The mask image ffmpeg reads from `endpoints.mask`, or null without masks (no mask input). */
  maskImage: Buffer | null;
}

/** ffmpeg's input arguments (everything up to and including `-i`) for one source. */
export function inputArgs(input: Pick<FfmpegArgsInput, 'source' | 'kind' | 'rtspTransport' | 'ioTimeoutMs' | 'platform' | 'realtime'>): string[] {
  const timeoutUs = String(Math.round((input.ioTimeoutMs ?? 10_000) * 1000));
  const src = input.source.trim();
  switch (input.kind) {
    case 'rtsp':
      return ['-rtsp_transport', input.rtspTransport, '-timeout', timeoutUs, '-allowed_media_types', 'video', '-i', src];
    case 'http':
      // HLS carries real timestamps (and arrives in segment bursts); MJPEG and other HTTP live streams often
      // carry none or a guessed 25 fps, which would make the fps filter drop the wrong frames: stamp them on arrival.
      return isHls(src) ? ['-rw_timeout', timeoutUs, '-i', src] : ['-rw_timeout', timeoutUs, '-use_wallclock_as_timestamps', '1', '-i', src];
    case 'file': {
      const path = /^file:/i.test(src) ? fileURLToPath(src) : src;
      // Real time (-re), looped forever: a file plays like a live camera.
      return [...(input.realtime === false ? [] : ['-re']), '-stream_loop', '-1', '-i', path];
    }
    case 'device':
      return deviceInputArgs(src, input.platform ?? process.platform);
  }
}

function isHls(url: string): boolean {
  try {
    return /\.m3u8$/i.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

function deviceInputArgs(src: string, platform: NodeJS.Platform): string[] {
  if (src.startsWith('/dev/video')) return ['-f', 'v4l2', '-i', src];
  if (src.startsWith('video=')) return ['-f', 'dshow', '-rtbufsize', '64M', '-i', src];
  const idx = /^avfoundation:(\d+)$/.exec(src)?.[1];
  if (idx !== undefined) return ['-f', 'avfoundation', '-framerate', '30', '-i', `${idx}:none`];
  // Unknown device syntax: let the platform's capture API report the error.
  const fmt = platform === 'win32' ? 'dshow' : platform === 'darwin' ? 'avfoundation' : 'v4l2';
  return ['-f', fmt, '-i', src];
}

/** The letterbox ffmpeg applies for `spec` to a srcWidth x srcHeight frame (mirrors ffmpeg's own rounding). */
export function letterboxInfo(srcWidth: number, srcHeight: number, spec: ModelInputSpec): LetterboxInfo {
  const W = spec.width;
  const H = spec.height;
  if (spec.letterbox === 'stretch' || srcWidth <= 0 || srcHeight <= 0) {
    return { srcWidth, srcHeight, inputWidth: W, inputHeight: H, contentWidth: W, contentHeight: H, padX: 0, padY: 0 };
  }
  // scale=...:force_original_aspect_ratio=decrease uses av_rescale (round half away from zero).
  const cw = Math.max(1, Math.min(W, Math.round((H * srcWidth) / srcHeight)));
  const ch = Math.max(1, Math.min(H, Math.round((W * srcHeight) / srcWidth)));
  const centre = spec.letterbox === 'center';
  return {
    srcWidth,
    srcHeight,
    inputWidth: W,
    inputHeight: H,
    contentWidth: cw,
    contentHeight: ch,
    padX: centre ? Math.trunc((W - cw) / 2) : 0,
    padY: centre ? Math.trunc((H - ch) / 2) : 0,
  };
}

/** The filter chain that turns a decoded frame into the model input (size, letterbox, pixel layout). */
export function letterboxFilter(spec: ModelInputSpec): string {
  const { width: W, height: H } = spec;
  const pix = spec.colour === 'rgb' ? 'rgb24' : 'bgr24';
  if (spec.letterbox === 'stretch') return `scale=${W}:${H},format=${pix}`;
  const v = Math.max(0, Math.min(255, Math.round(spec.padValue))).toString(16).padStart(2, '0');
  const xy = spec.letterbox === 'center' ? '(ow-iw)/2:(oh-ih)/2' : '0:0';
  return `scale=${W}:${H}:force_original_aspect_ratio=decrease,format=${pix},pad=${W}:${H}:${xy}:color=0x${v}${v}${v}`;
}

/**
 * The inference branch of the graph, from `[inLabel]` to `[outLabel]`: the letterbox, or for a tiled camera a split
 * into one crop + letterbox per tile stacked into one frame. Crop edges are `floor(iw*f)` with the fractions of
 * tileFractions(), the same formula tileRects() uses, so the boxes map back to the exact pixels each tile showed.
 */
export function inferenceBranch(inLabel: string, outLabel: string, spec: ModelInputSpec, tiling?: DetectionTiling | null): string {
  const n = modelInputsPerFrame(tiling);
  if (!tiling || n <= 1) return `[${inLabel}]${letterboxFilter(spec)}[${outLabel}]`;
  const crops: string[] = [];
  if (tiling.wholeFrame) crops.push('');
  const cols = tileFractions(tiling.columns, tiling.overlap);
  const rows = tileFractions(tiling.rows, tiling.overlap);
  const edge = (dim: 'iw' | 'ih', f: number) => (f === 0 ? '0' : f === 1 ? dim : `floor(${dim}*${f})`);
  for (const r of rows) {
    for (const c of cols) {
      const x = edge('iw', c.start);
      const y = edge('ih', r.start);
      // exact=1: no rounding of the offsets to the chroma grid, so the crop is where tileRects() says
      crops.push(`crop=w=${edge('iw', c.end)}-${x}:h=${edge('ih', r.end)}-${y}:x=${x}:y=${y}:exact=1,`);
    }
  }
  const labels = crops.map((_, i) => `${outLabel}_t${i}`);
  return [
    `[${inLabel}]split=${n}${labels.map((l) => `[${l}_in]`).join('')}`,
    ...crops.map((crop, i) => `[${labels[i]}_in]${crop}${letterboxFilter(spec)}[${labels[i]}]`),
    `${labels.map((l) => `[${l}]`).join('')}vstack=inputs=${n}[${outLabel}]`,
  ].join(';');
}

export function buildFfmpegArgs(input: FfmpegArgsInput): FfmpegPlan {
  const fps = Number.isFinite(input.analysisFps) && input.analysisFps > 0 ? input.analysisFps : 10;
  const maxH = Math.max(16, Math.round(input.displayMaxHeight ?? 720));
  const q = Math.max(2, Math.min(31, Math.round(input.jpegQuality ?? 5)));
  const display = `scale=-2:'min(${maxH},ih)'`;
  const unmasked = input.inference
    ? `[0:v:0]fps=${fps},split=2[disp_in][inf_in];[disp_in]${display}[disp];${inferenceBranch('inf_in', 'inf', input.inference, input.tiling)}`
    : `[0:v:0]fps=${fps},${display}[disp]`;
  const endpoints = input.endpoints ?? PIPE_ENDPOINTS;
  const masked = burnMasksIntoGraph(unmasked, fps, input.masks, endpoints.mask);
  const graph = masked?.graph ?? unmasked;
  const maskImage = masked?.image ?? null;
  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    ...(input.benchmarkDecode ? ['-benchmark_all'] : []),
    '-threads',
    '1',
    ...inputArgs(input),
    ...(masked?.inputArgs ?? []),
    '-filter_complex_threads',
    '1',
    '-filter_complex',
    graph,
    '-map',
    '[disp]',
    '-fps_mode',
    'passthrough',
    '-c:v',
    'mjpeg',
    '-q:v',
    String(q),
    ...(input.marker ? ['-metadata', `comment=${input.marker}`] : []),
    '-flush_packets',
    '1',
    '-f',
    'mjpeg',
    endpoints.jpeg,
  ];
  if (!input.inference) return { args, rawFrameBytes: null, maskImage };
  const pix = input.inference.colour === 'rgb' ? 'rgb24' : 'bgr24';
  args.push('-map', '[inf]', '-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-pix_fmt', pix, '-flush_packets', '1', '-f', 'rawvideo', endpoints.raw);
  return { args, rawFrameBytes: input.inference.width * input.inference.height * 3 * modelInputsPerFrame(input.tiling), maskImage };
}
