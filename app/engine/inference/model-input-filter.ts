import { tileRects, type DetectionTiling, type TileRect } from '../../shared/domain/detection-tiling';
import type { ModelManifest } from '../../shared/domain/model';
import type { LetterboxInfo, ModelInputSpec } from './inference-api';
import { computeLetterbox } from './letterbox';

/** Default square input side when a manifest's input shape leaves height/width dynamic. */
export const DEFAULT_DYNAMIC_INPUT_SIZE = 640;

/** The ffmpeg part of the camera -> inference seam, for one source size. */
export interface ModelInputFilter {
  /** Filter chain for `-vf` (append after any fps filter): scale, convert, pad. */
  filter: string;
  /** `-pix_fmt` for the rawvideo output. */
  pixFmt: 'bgr24' | 'rgb24';
  /** Bytes of one output frame (width*height*3). */
  frameBytes: number;
  letterbox: LetterboxInfo;
  /** A tiled frame (buildTiledModelInputFilter): the source rectangle of each stacked model input. */
  tiles?: TileRect[];
}

/**
 * Builds the ffmpeg filter that turns a source frame into exactly the model input (the camera worker, `analyze`
 * and `bench` all use this, so the app and the CLIs feed the model identical pixels). Colour conversion, then
 * scaling, then padding in RGB space so the pad value is exact. Put an `fps=` filter before it.
 * Pure: no ffmpeg is run here.
 */
export function buildModelInputFilter(spec: ModelInputSpec, srcWidth: number, srcHeight: number): ModelInputFilter {
  const lb = computeLetterbox(srcWidth, srcHeight, spec);
  const pixFmt = spec.colour === 'bgr' ? 'bgr24' : 'rgb24';
  // Colour conversion at source size with exact chroma (full_chroma_*, accurate_rnd), then an area downscale:
  // measured closest to the reference (OpenCV) preprocessing of the YOLOX scores; a one-pass bilinear scale
  // moved some scores by 0.02-0.03.
  const parts = [COLOUR_CONVERSION, `format=${pixFmt}`, scaleAndPad(lb, spec.padValue)];
  return { filter: parts.join(','), pixFmt, frameBytes: lb.inputWidth * lb.inputHeight * 3, letterbox: lb };
}

const COLOUR_CONVERSION = 'scale=iw:ih:flags=bilinear+accurate_rnd+full_chroma_int+full_chroma_inp';

function scaleAndPad(lb: LetterboxInfo, padValue: number): string {
  const hex = Math.max(0, Math.min(255, Math.round(padValue))).toString(16).padStart(2, '0');
  const scale = `scale=${lb.contentWidth}:${lb.contentHeight}:flags=area`;
  if (lb.contentWidth === lb.inputWidth && lb.contentHeight === lb.inputHeight) return scale;
  return `${scale},pad=${lb.inputWidth}:${lb.inputHeight}:${lb.padX}:${lb.padY}:color=0x${hex}${hex}${hex}`;
}

/**
 * buildModelInputFilter for a tiled frame (detection-tiling.ts): colour conversion once at source size, then one
 * crop (whole pixels, tileRects()) + area scale + pad per tile, stacked into one frame of `tiles.length` model
 * inputs. One input and one output, so it goes into `-vf` like the untiled filter.
 */
export function buildTiledModelInputFilter(spec: ModelInputSpec, srcWidth: number, srcHeight: number, tiling: DetectionTiling): ModelInputFilter {
  const tiles = tileRects(srcWidth, srcHeight, tiling);
  if (tiles.length <= 1) return buildModelInputFilter(spec, srcWidth, srcHeight);
  const pixFmt = spec.colour === 'bgr' ? 'bgr24' : 'rgb24';
  const labels = tiles.map((_, i) => `tile${i}`);
  const branches = tiles.map((t, i) => {
    const whole = t.x === 0 && t.y === 0 && t.width === srcWidth && t.height === srcHeight;
    const crop = whole ? '' : `crop=${t.width}:${t.height}:${t.x}:${t.y}:exact=1,`;
    return `[${labels[i]}_in]${crop}${scaleAndPad(computeLetterbox(t.width, t.height, spec), spec.padValue)}[${labels[i]}]`;
  });
  const filter = [`${COLOUR_CONVERSION},format=${pixFmt},split=${tiles.length}${labels.map((l) => `[${l}_in]`).join('')}`, ...branches, `${labels.map((l) => `[${l}]`).join('')}vstack=inputs=${tiles.length}`].join(';');
  const per = spec.width * spec.height * 3;
  return { filter, pixFmt, frameBytes: per * tiles.length, letterbox: computeLetterbox(srcWidth, srcHeight, spec), tiles };
}

/** Input width/height of a manifest: from its shape, else `decoderOptions.inputSize`, else 640. */
export function manifestInputSize(manifest: ModelManifest): { width: number; height: number } {
  const s = manifest.input.shape;
  const [h, w] = manifest.input.layout === 'nchw' ? [s[2], s[3]] : [s[1], s[2]];
  const opt = manifest.decoderOptions.inputSize;
  const fallback = typeof opt === 'number' && opt > 0 ? opt : DEFAULT_DYNAMIC_INPUT_SIZE;
  const dim = (v: unknown): number => (typeof v === 'number' && v > 0 ? v : fallback);
  return { width: dim(w), height: dim(h) };
}

/** The frame format a camera must produce for this model. */
export function modelInputSpec(manifest: ModelManifest): ModelInputSpec {
  const { width, height } = manifestInputSize(manifest);
  return { modelId: manifest.id, width, height, colour: manifest.input.colour, letterbox: manifest.input.letterbox, padValue: manifest.input.padValue };
}
