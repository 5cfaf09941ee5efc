import type { PrivacyMask } from '../../shared/domain/privacy-mask';

/**
 * Burning privacy masks into the display branch of the camera's ffmpeg (and so into the live view, snapshots
 * and every export made from them). The inference branch stays unmasked; detections inside masks are dropped
 * in the analytics stage instead.
 *
 * How: the masks are rasterised once into a grey PGM image (255 = solid, 128 = blur, 0 = clear) that ffmpeg
 * reads as a second input: from a pipe (fd 5, nothing on disk) or, with the local-sockets transport, from a file in
 * the worker's private temp folder (ffmpeg-transport.ts). The image is looped to a stream, scaled with
 * nearest-neighbour to the display size (scale2ref), split into a solid and a blur alpha plane (lut), and each
 * is alpha-merged onto a black or strongly blurred copy of the frame and overlaid. Both streams are re-timed to
 * `N/fps`, so frame i of the display meets mask frame i and no frame can pass before the mask is there.
 * A mask change restarts only ffmpeg (the worker and its tracks stay).
 */

/** Size of the rasterised mask image; scaled to the display size by ffmpeg (nearest-neighbour). */
export const MASK_IMAGE_WIDTH = 960;
export const MASK_IMAGE_HEIGHT = 540;

const SOLID = 255;
const BLUR = 128;

/** The mask image (binary PGM, P5) for these masks, or null when there is nothing to burn in. */
export function maskImage(masks: readonly PrivacyMask[], width = MASK_IMAGE_WIDTH, height = MASK_IMAGE_HEIGHT): Buffer | null {
  if (!masks.length) return null;
  const px = new Uint8Array(width * height);
  // Blur first, solid last: where they overlap, solid wins.
  for (const m of masks) if (m.style === 'blur') fillPolygon(px, width, height, m.points, BLUR);
  for (const m of masks) if (m.style === 'solid') fillPolygon(px, width, height, m.points, SOLID);
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), px]);
}

/**
 * Fills a polygon (normalised points) conservatively: a pixel is filled when the polygon covers any of three
 * sample rows through it (top, middle, bottom), widened to whole pixels, so a masked edge never leaks a pixel.
 */
export function fillPolygon(px: Uint8Array, width: number, height: number, points: readonly (readonly [number, number])[], value: number): void {
  const pts = points.map(([x, y]) => [x * width, y * height] as const);
  const n = pts.length;
  if (n < 3) return;
  for (let row = 0; row < height; row++) {
    for (const sy of [row + 0.001, row + 0.5, row + 0.999]) {
      const xs: number[] = [];
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = pts[i]!;
        const b = pts[j]!;
        if (a[1] > sy !== b[1] > sy) xs.push(((b[0] - a[0]) * (sy - a[1])) / (b[1] - a[1]) + a[0]);
      }
      xs.sort((p, q) => p - q);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const from = Math.max(0, Math.floor(xs[k]!));
        const to = Math.min(width - 1, Math.ceil(xs[k + 1]!) - 1);
        for (let x = from; x <= to; x++) if (px[row * width + x]! < value) px[row * width + x] = value;
      }
    }
  }
}

/** Extra input arguments that feed the mask image to ffmpeg from `url` (`pipe:5`, `file:/...`). */
export function maskInputArgs(url: string): string[] {
  return ['-f', 'pgm_pipe', '-i', url];
}

/**
 * Filter-graph fragment that takes the display stream `[inLabel]` and the mask image (input `maskInput`) and
 * produces `[outLabel]` with the masks burned in. `fps` is the display rate (both streams are re-timed to it).
 */
export function maskFilterGraph(inLabel: string, outLabel: string, maskInput: number, fps: number, masks: readonly PrivacyMask[]): string {
  const solid = masks.some((m) => m.style === 'solid');
  const blur = masks.some((m) => m.style === 'blur');
  const t = `setpts=N/(${fps}*TB)`;
  const parts = [
    `[${inLabel}]${t}[mk_d0]`,
    `[${maskInput}:v]format=gray,loop=loop=-1:size=1,${t}[mk_m0]`,
    `[mk_m0][mk_d0]scale2ref=flags=neighbor[mk_m1][mk_d1]`,
  ];
  let frame = 'mk_d1';
  const maskLabel = 'mk_m1';
  if (solid && blur) {
    parts.push(`[mk_m1]split=2[mk_ms][mk_mb]`);
  }
  if (blur) {
    const m = solid ? 'mk_mb' : maskLabel;
    parts.push(
      `[${m}]lut=c0='if(between(val\\,64\\,191)\\,255\\,0)'[mk_ab]`,
      `[${frame}]split=2[mk_b0][mk_b1]`,
      `[mk_b1]boxblur=luma_radius=min(w\\,h)/10:luma_power=3:chroma_radius=min(cw\\,ch)/10:chroma_power=3,format=yuva420p[mk_bl]`,
      `[mk_bl][mk_ab]alphamerge[mk_bla]`,
      `[mk_b0][mk_bla]overlay=eof_action=repeat[mk_d2]`,
    );
    frame = 'mk_d2';
  }
  if (solid) {
    const m = blur ? 'mk_ms' : maskLabel;
    parts.push(
      `[${m}]lut=c0='if(gte(val\\,192)\\,255\\,0)'[mk_as]`,
      `[${frame}]split=2[mk_s0][mk_s1]`,
      `[mk_s1]drawbox=c=black:t=fill,format=yuva420p[mk_sf]`,
      `[mk_sf][mk_as]alphamerge[mk_sfa]`,
      `[mk_s0][mk_sfa]overlay=eof_action=repeat[mk_d3]`,
    );
    frame = 'mk_d3';
  }
  parts.push(`[${frame}]null[${outLabel}]`);
  return parts.join(';');
}

/**
 * Rewrites a camera graph whose display output is `[disp]` so the masks are burned into it: the display chain
 * now ends in `[disp_unmasked]`, which the mask fragment turns into `[disp]`; ffmpeg reads the image from `maskUrl`.
 * Returns null when there are no masks.
 */
export function burnMasksIntoGraph(graph: string, fps: number, masks: readonly PrivacyMask[] | undefined, maskUrl: string): { graph: string; inputArgs: string[]; image: Buffer } | null {
  const image = masks?.length ? maskImage(masks) : null;
  if (!masks || !image) return null;
  const idx = graph.lastIndexOf('[disp]');
  if (idx < 0) throw new Error('camera graph has no [disp] output');
  const rewritten = `${graph.slice(0, idx)}[disp_unmasked]${graph.slice(idx + '[disp]'.length)}`;
  return { graph: `${rewritten};${maskFilterGraph('disp_unmasked', 'disp', 1, fps, masks)}`, inputArgs: maskInputArgs(maskUrl), image };
}
