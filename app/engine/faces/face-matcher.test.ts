import { describe, expect, it } from 'vitest';
import { normalise } from './face-embedder';
import { applySimilarity, fitSimilarity, invertSimilarity, type Point } from './face-geometry';
import { AMBIGUITY_MARGIN, DEFAULT_CATEGORY_THRESHOLDS, matchFace, type WatchlistEmbeddings } from './face-matcher';
import { faceQuality, passesQualityGates } from './face-quality';

const v = (...xs: number[]) => normalise(Float32Array.from(xs));
/** A unit vector whose cosine with [1, 0, 0] is `c`. */
const at = (c: number) => v(c, Math.sqrt(1 - c * c), 0);

describe('fitSimilarity', () => {
  it('recovers a rotation, scale and shift exactly', () => {
    const src: Point[] = [[10, 20], [50, 22], [30, 40], [31, 60]];
    const t = { a: 1.5 * Math.cos(0.3), b: 1.5 * Math.sin(0.3), tx: 7, ty: -3 };
    const fit = fitSimilarity(src, src.map((p) => applySimilarity(t, p)));
    expect(fit.a).toBeCloseTo(t.a, 9);
    expect(fit.b).toBeCloseTo(t.b, 9);
    expect(fit.tx).toBeCloseTo(t.tx, 9);
    const back = applySimilarity(invertSimilarity(fit), applySimilarity(fit, [3, 4]));
    expect(back[0]).toBeCloseTo(3, 9);
    expect(back[1]).toBeCloseTo(4, 9);
  });
});

describe('matchFace', () => {
  const list: WatchlistEmbeddings[] = [
    { id: 'a', name: 'Anna', category: 'banned', embeddings: [v(1, 0, 0)] },
    { id: 'b', name: 'Ben', category: 'missing-person', embeddings: [v(0, 0, 1)] },
  ];
  it('matches above the category threshold, not below', () => {
    expect(matchFace(at(DEFAULT_CATEGORY_THRESHOLDS.banned + 0.01), list)?.name).toBe('Anna');
    expect(matchFace(at(DEFAULT_CATEGORY_THRESHOLDS.banned - 0.01), list)).toBeNull();
  });
  it('matches nobody when two listed people are about equally similar', () => {
    const both = v(1, 0, 1);
    expect(matchFace(both, list)).toBeNull();
    expect(AMBIGUITY_MARGIN).toBeGreaterThan(0);
  });
  it('an empty watchlist matches nobody', () => {
    expect(matchFace(v(1, 0, 0), [])).toBeNull();
  });
});

describe('face quality gates', () => {
  const crisp = new Uint8Array(64 * 64 * 3).map((_, i) => ((Math.floor(i / 3) % 2) ? 255 : 0));
  const flat = new Uint8Array(64 * 64 * 3).fill(128);
  const frontal = (eye: number): Point[] => [[100, 100], [100 + eye, 100], [100 + eye / 2, 100 + eye * 0.6], [100 + eye / 2, 100 + eye * 1.2]];
  it('passes a large, frontal, sharp face', () => {
    expect(passesQualityGates(faceQuality(frontal(40), crisp, 64))).toEqual({ ok: true });
  });
  it('refuses small, turned or blurred faces with a reason', () => {
    expect(passesQualityGates(faceQuality(frontal(8), crisp, 64))).toMatchObject({ ok: false, reason: expect.stringMatching(/too small/) });
    const turned = frontal(40);
    turned[2] = [100 + 40, 124];
    expect(passesQualityGates(faceQuality(turned, crisp, 64))).toMatchObject({ ok: false, reason: expect.stringMatching(/turned/) });
    expect(passesQualityGates(faceQuality(frontal(40), flat, 64))).toMatchObject({ ok: false, reason: expect.stringMatching(/blurred/) });
  });
});
