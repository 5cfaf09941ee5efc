import { z } from 'zod';

/**
 * Tiled detection: a per-camera option for people who are small in the model's input. A wide frame squeezed into a
 * square model input shrinks everyone (1920x1080 into 416x416: a 120 px tall person is 26 px); split into
 * overlapping tiles, each letterboxed to the model input on its own, the same person is two to three times as large.
 * Each tile is one more model input per frame, so the cost is about `modelInputsPerFrame` times the detection work of
 * an untiled camera. Off (null) by default.
 *
 * Geometry: `columns` x `rows` tiles of equal size that overlap their neighbours by `overlap` of a tile's width
 * (height), the outer tiles flush with the frame's edges; optionally the whole frame as one more input (it finds
 * people too large for a tile). Tile edges are whole pixels computed as floor(size * fraction) both here and in
 * ffmpeg's crop expressions (ffmpeg-args.ts), so the two agree to the pixel.
 */
export const DetectionTilingSchema = z.object({
  /** Tiles across (1..4). */
  columns: z.number().int().min(1).max(4),
  /** Tiles down (1..4). */
  rows: z.number().int().min(1).max(4),
  /** Overlap between neighbouring tiles as a fraction of a tile (0..0.5); 0.2 keeps most people whole in one tile. */
  overlap: z.number().min(0).max(0.5).default(0.2),
  /** Also detect on the whole frame (one more model input): people too large for a tile. */
  wholeFrame: z.boolean().default(false),
});
export type DetectionTiling = z.output<typeof DetectionTilingSchema>;

/** A source-frame rectangle in whole pixels: one model input of a tiled frame. */
export interface TileRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_TILE_OVERLAP = 0.2;

/** Model inputs per frame: 1 without tiling. */
export function modelInputsPerFrame(tiling: DetectionTiling | null | undefined): number {
  if (!tiling) return 1;
  return tiling.columns * tiling.rows + (tiling.wholeFrame ? 1 : 0);
}

/** The start and end fractions of the tiles along one axis (n tiles overlapping by `overlap` of a tile). */
export function tileFractions(n: number, overlap: number): { start: number; end: number }[] {
  if (n <= 1) return [{ start: 0, end: 1 }];
  const size = 1 / (n - (n - 1) * overlap);
  const step = size * (1 - overlap);
  // rounded to 6 decimals: the same numbers are written into ffmpeg's crop expressions, so both sides compute
  // floor(size * fraction) from the very same double
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  return Array.from({ length: n }, (_, i) => ({ start: r(i * step), end: i === n - 1 ? 1 : r(i * step + size) }));
}

/** Pixel edge of a fraction of `size` (the same formula as ffmpeg's `floor(iw*f)`). */
export const tileEdge = (size: number, fraction: number): number => Math.floor(size * fraction);

/**
 * The model inputs of one frame, in the order ffmpeg stacks them: the whole frame first (when asked for), then the
 * tiles row by row, left to right. Pure.
 */
export function tileRects(srcWidth: number, srcHeight: number, tiling: DetectionTiling): TileRect[] {
  const out: TileRect[] = [];
  if (tiling.wholeFrame) out.push({ x: 0, y: 0, width: srcWidth, height: srcHeight });
  const cols = tileFractions(tiling.columns, tiling.overlap);
  const rows = tileFractions(tiling.rows, tiling.overlap);
  for (const r of rows) {
    for (const c of cols) {
      const x = tileEdge(srcWidth, c.start);
      const y = tileEdge(srcHeight, r.start);
      out.push({ x, y, width: Math.max(1, tileEdge(srcWidth, c.end) - x), height: Math.max(1, tileEdge(srcHeight, r.end) - y) });
    }
  }
  return out;
}

/** Parses the CLI form: `2x1`, `2x2+whole` (+whole: the whole frame too), optional `@0.25` overlap; `off` = null. */
export function parseTilingArg(text: string): DetectionTiling | null {
  if (/^\s*(off|none)\s*$/i.test(text)) return null;
  const m = /^\s*(\d)x(\d)(\+whole)?(?:@(\d*\.?\d+))?\s*$/i.exec(text);
  if (!m) throw new Error(`tiles must look like 2x1, 2x2+whole or 3x2@0.25 (columns x rows, +whole for the whole frame too, @overlap), got "${text}"`);
  const parsed = DetectionTilingSchema.safeParse({ columns: Number(m[1]), rows: Number(m[2]), overlap: m[4] !== undefined ? Number(m[4]) : DEFAULT_TILE_OVERLAP, wholeFrame: Boolean(m[3]) });
  if (!parsed.success) throw new Error(`tiles "${text}": ${parsed.error.issues[0]?.message ?? 'invalid'} (columns and rows 1..4, overlap 0..0.5)`);
  // one tile is the whole frame: nothing to tile
  return parsed.data.columns * parsed.data.rows === 1 ? null : parsed.data;
}

/** The CLI form of a tiling (inverse of parseTilingArg). */
export function formatTiling(tiling: DetectionTiling | null | undefined): string {
  if (!tiling) return 'off';
  return `${tiling.columns}x${tiling.rows}${tiling.wholeFrame ? '+whole' : ''}${tiling.overlap !== DEFAULT_TILE_OVERLAP ? `@${tiling.overlap}` : ''}`;
}
