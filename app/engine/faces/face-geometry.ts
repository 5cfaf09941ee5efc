/**
 * Pure geometry of face alignment: a similarity transform (rotation, uniform scale, shift) fitted by least
 * squares (Umeyama) from detected landmarks to a canonical template, and bilinear warping through it.
 */
export type Point = [number, number];

/** x' = a*x - b*y + tx, y' = b*x + a*y + ty */
export interface Similarity { a: number; b: number; tx: number; ty: number }

/** Least-squares similarity mapping `src` points onto `dst` points (same length, at least 2). */
export function fitSimilarity(src: readonly Point[], dst: readonly Point[]): Similarity {
  const n = src.length;
  if (n < 2 || dst.length !== n) throw new Error('fitSimilarity needs at least two matching points');
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) { sx += src[i]![0]; sy += src[i]![1]; dx += dst[i]![0]; dy += dst[i]![1]; }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let num1 = 0, num2 = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const px = src[i]![0] - sx, py = src[i]![1] - sy;
    const qx = dst[i]![0] - dx, qy = dst[i]![1] - dy;
    num1 += px * qx + py * qy;
    num2 += px * qy - py * qx;
    den += px * px + py * py;
  }
  if (den <= 0) throw new Error('fitSimilarity: the source points coincide');
  const a = num1 / den;
  const b = num2 / den;
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

export function invertSimilarity(t: Similarity): Similarity {
  const d = t.a * t.a + t.b * t.b;
  const a = t.a / d;
  const b = -t.b / d;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

export const applySimilarity = (t: Similarity, p: Point): Point => [t.a * p[0] - t.b * p[1] + t.tx, t.b * p[0] + t.a * p[1] + t.ty];

/**
 * Warps an RGB picture into a `size` x `height` RGB crop (square by default): output pixel (u, v) samples the
 * source at inverse(toCrop)(u, v), bilinearly; outside the picture is mid grey.
 */
export function warpRgb(src: { data: Uint8Array; width: number; height: number }, toCrop: Similarity, size: number, height = size): Uint8Array {
  const inv = invertSimilarity(toCrop);
  const out = new Uint8Array(size * height * 3);
  const { data, width: w, height: h } = src;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < size; u++) {
      const x = inv.a * (u + 0.5) - inv.b * (v + 0.5) + inv.tx - 0.5;
      const y = inv.b * (u + 0.5) + inv.a * (v + 0.5) + inv.ty - 0.5;
      const o = (v * size + u) * 3;
      if (x < -1 || y < -1 || x > w || y > h) { out[o] = out[o + 1] = out[o + 2] = 128; continue; }
      const x0 = Math.floor(x), y0 = Math.floor(y);
      const fx = x - x0, fy = y - y0;
      const cx0 = Math.min(Math.max(x0, 0), w - 1), cx1 = Math.min(Math.max(x0 + 1, 0), w - 1);
      const cy0 = Math.min(Math.max(y0, 0), h - 1), cy1 = Math.min(Math.max(y0 + 1, 0), h - 1);
      for (let c = 0; c < 3; c++) {
        const p00 = data[(cy0 * w + cx0) * 3 + c]!, p10 = data[(cy0 * w + cx1) * 3 + c]!;
        const p01 = data[(cy1 * w + cx0) * 3 + c]!, p11 = data[(cy1 * w + cx1) * 3 + c]!;
        out[o + c] = Math.round((p00 * (1 - fx) + p10 * fx) * (1 - fy) + (p01 * (1 - fx) + p11 * fx) * fy);
      }
    }
  }
  return out;
}
