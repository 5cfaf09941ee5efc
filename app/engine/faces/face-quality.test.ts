import { describe, expect, it } from 'vitest';
import type { Point } from './face-geometry';
import { faceQuality, passesQualityGates } from './face-quality';

/** A flat grey crop with a chequered centre: sharp enough for the gate. */
const SIZE = 64;
const crop = new Uint8Array(SIZE * SIZE * 3).map((_, i) => (((Math.floor(i / 3) % SIZE) + Math.floor(i / 3 / SIZE)) % 2 ? 200 : 60));

describe('faceQuality with the landmarks each detector family gives', () => {
  const eyes: Point[] = [[100, 100], [140, 100]];

  it('eyes, nose and mouth (BlazeFace, YuNet): a face turned far to the side is refused', () => {
    const frontal = faceQuality([...eyes, [120, 120], [120, 140]], crop, SIZE);
    expect(frontal).toMatchObject({ eyeDistancePx: 40, yaw: 0, pitch: 0.5 });
    expect(passesQualityGates(frontal)).toEqual({ ok: true });
    const turned = faceQuality([...eyes, [136, 120], [130, 140]], crop, SIZE);
    expect(passesQualityGates(turned)).toEqual({ ok: false, reason: 'head turned too far to the side' });
  });

  it('the eyes alone (UltraFace, placed by the box): turn and tilt are not measured, size and sharpness still gate', () => {
    const q = faceQuality(eyes, crop, SIZE);
    expect(q).toMatchObject({ eyeDistancePx: 40, yaw: null, pitch: null });
    expect(passesQualityGates(q)).toEqual({ ok: true });
    const small = faceQuality([[100, 100], [108, 100]], crop, SIZE);
    expect(passesQualityGates(small)).toMatchObject({ ok: false, reason: expect.stringMatching(/face too small \(eyes 8\.0 px apart/) });
    // Unknown pose counts as half frontal in the score: lower than a measured frontal face of the same size.
    expect(q.score).toBeLessThan(faceQuality([...eyes, [120, 120], [120, 140]], crop, SIZE).score);
  });
});
