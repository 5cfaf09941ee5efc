import type { Point } from './face-geometry';

/**
 * How good a detected face is for matching, from its landmarks and its aligned crop. Every measure is in
 * picture terms an officer can check: the distance between the eyes in pixels, how far the head is turned,
 * how sharp the crop is. Gates (FACE_QUALITY_GATES) decide whether a face is matched at all.
 */
export interface FaceQuality {
  /** Distance between the eye centres in source pixels. */
  eyeDistancePx: number;
  /**
   * Head turn left/right: nose-tip offset from the eye midpoint, in eye distances (0 = frontal); null when the
   * detector gives no nose and mouth (UltraFace), so the turn cannot be measured and its gate is not applied.
   */
  yaw: number | null;
  /** Head tilt up/down: nose-tip height between the eye line (0) and the mouth (1); frontal faces sit near 0.5; null as yaw. */
  pitch: number | null;
  /** Variance of the Laplacian of the aligned crop's grey levels, scaled to 0..1 (1 = crisp). */
  sharpness: number;
  /** One number 0..1 (size, frontal-ness and sharpness together), to keep the best face of a track. */
  score: number;
}

/**
 * The gates, measured on the fixtures described in native-models/README.md ("Face models"):
 * - eyes at least 10 px apart: the identity photos, scaled down until their eyes were 10 px apart, still scored
 *   0.66-0.83 to their own person's enrolment (threshold 0.62) and at most 0.47 to anyone else; at 8 px one fell
 *   to 0.53. Enrolment also keeps smaller copies of the face (ENROLMENT_EYE_DISTANCES), without which the two
 *   walkers of the corridor clip looked alike at 9-10 px;
 * - head turned less than 0.3 eye distances (about 30 degrees) and nose between 0.2 and 0.8 of the eye-to-mouth
 *   height: beyond that, the alignment can no longer bring the face onto the frontal template;
 * - sharpness at least 0.005: the blurriest faces measured (the corridor clip's woman, 0.005-0.016, out of focus)
 *   were still matched to the right person on every frame and never to the other; below that nothing was measured.
 */
export const FACE_QUALITY_GATES = { minEyeDistancePx: 10, maxYaw: 0.3, minPitch: 0.2, maxPitch: 0.8, minSharpness: 0.005 } as const;

/**
 * `landmarks` in DetectedFace's order: two eyes, then nose tip and mouth centre when the detector finds them.
 * With the eyes alone (UltraFace, placed by the box) the size and sharpness gates still apply; the head turn and
 * tilt are not measured (null) and count as half frontal in the score.
 */
export function faceQuality(landmarks: readonly Point[], alignedCrop: Uint8Array, cropSize: number): FaceQuality {
  const [e1, e2, nose, mouth] = landmarks as [Point, Point, Point | undefined, Point | undefined];
  const ex = (e1[0] + e2[0]) / 2, ey = (e1[1] + e2[1]) / 2;
  const dx = e2[0] - e1[0], dy = e2[1] - e1[1];
  const eyeDistancePx = Math.hypot(dx, dy);
  const d = eyeDistancePx || 1;
  // Nose offset along the eye line (yaw) and across it, relative to the mouth (pitch).
  const ux = dx / d, uy = dy / d;
  const along = (p: Point) => (p[0] - ex) * -uy + (p[1] - ey) * ux;
  let yaw: number | null = null;
  let pitch: number | null = null;
  if (nose && mouth) {
    yaw = ((nose[0] - ex) * ux + (nose[1] - ey) * uy) / d;
    const mouthDepth = along(mouth);
    pitch = mouthDepth > 0 ? along(nose) / mouthDepth : 0;
  }
  const sharpness = laplacianSharpness(alignedCrop, cropSize);
  const sizeScore = Math.min(1, Math.max(0, (eyeDistancePx - 6) / 34));
  const frontal = yaw === null || pitch === null ? 0.5 : Math.max(0, 1 - Math.abs(yaw) / 0.5) * Math.max(0, 1 - Math.abs(pitch - 0.5) / 0.5);
  const score = sizeScore * 0.5 + frontal * 0.3 + Math.min(1, sharpness / 0.3) * 0.2;
  return { eyeDistancePx, yaw, pitch, sharpness, score };
}

export function passesQualityGates(q: FaceQuality): { ok: true } | { ok: false; reason: string } {
  const g = FACE_QUALITY_GATES;
  if (q.eyeDistancePx < g.minEyeDistancePx) return { ok: false, reason: `face too small (eyes ${q.eyeDistancePx.toFixed(1)} px apart, at least ${g.minEyeDistancePx} needed)` };
  if (q.yaw !== null && Math.abs(q.yaw) > g.maxYaw) return { ok: false, reason: 'head turned too far to the side' };
  if (q.pitch !== null && (q.pitch < g.minPitch || q.pitch > g.maxPitch)) return { ok: false, reason: 'head tilted too far up or down' };
  if (q.sharpness < g.minSharpness) return { ok: false, reason: 'face too blurred' };
  return { ok: true };
}

/** Variance of the 4-neighbour Laplacian over the centre of the crop (grey levels 0..1), scaled so 1 is crisp. */
export function laplacianSharpness(rgb: Uint8Array, size: number): number {
  // Measured on a 64x64 view of the crop, so the value does not depend on the crop size.
  const n = 64;
  const grey = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const sx = Math.min(size - 1, Math.floor(((x + 0.5) * size) / n)), sy = Math.min(size - 1, Math.floor(((y + 0.5) * size) / n));
      const o = (sy * size + sx) * 3;
      grey[y * n + x] = (0.299 * rgb[o]! + 0.587 * rgb[o + 1]! + 0.114 * rgb[o + 2]!) / 255;
    }
  }
  let s = 0, s2 = 0, c = 0;
  for (let y = n / 4; y < (3 * n) / 4; y++) {
    for (let x = n / 4; x < (3 * n) / 4; x++) {
      const l = grey[(y - 1) * n + x]! + grey[(y + 1) * n + x]! + grey[y * n + x - 1]! + grey[y * n + x + 1]! - 4 * grey[y * n + x]!;
      s += l; s2 += l * l; c++;
    }
  }
  const variance = s2 / c - (s / c) ** 2;
  return Math.min(1, variance * 100);
}
