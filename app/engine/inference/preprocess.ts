import type { ModelManifest } from '../../shared/domain/model';

/**
 * Layout/type conversion only (ffmpeg already scaled and padded): interleaved HWC uint8 -> float32 NCHW or NHWC
 * with the manifest's normalisation value = (pixel*scale - mean[c]) / std[c]. `swapRb` when the frame's colour
 * order differs from the model's. Writes into `out` at `offset` (batching) and returns it.
 */
export function hwcToTensor(
  data: Uint8Array,
  width: number,
  height: number,
  manifest: ModelManifest,
  swapRb: boolean,
  out: Float32Array = new Float32Array(width * height * 3),
  offset = 0,
): Float32Array {
  const n = width * height;
  if (data.length < n * 3) throw new Error(`frame has ${data.length} bytes, expected ${n * 3}`);
  const norm = manifest.input.normalise;
  const scale = norm.scale ?? 1;
  const mean = norm.mean ?? [0, 0, 0];
  const std = norm.std ?? [1, 1, 1];
  const a: number[] = [0, 1, 2].map((c) => scale / (std[c] ?? 1));
  const b: number[] = [0, 1, 2].map((c) => -(mean[c] ?? 0) / (std[c] ?? 1));
  const src = swapRb ? [2, 1, 0] : [0, 1, 2];
  const [s0, s1, s2] = src as [number, number, number];
  const [a0, a1, a2] = a as [number, number, number];
  const [b0, b1, b2] = b as [number, number, number];
  if (manifest.input.layout === 'nchw') {
    const p0 = offset;
    const p1 = offset + n;
    const p2 = offset + 2 * n;
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      out[p0 + i] = data[j + s0]! * a0 + b0;
      out[p1 + i] = data[j + s1]! * a1 + b1;
      out[p2 + i] = data[j + s2]! * a2 + b2;
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 3) {
      out[offset + j] = data[j + s0]! * a0 + b0;
      out[offset + j + 1] = data[j + s1]! * a1 + b1;
      out[offset + j + 2] = data[j + s2]! * a2 + b2;
    }
  }
  return out;
}
