import type { FaceCategory } from '../../shared/domain/faces';
import { cosine } from './face-embedder';

/**
 * Matching a face embedding against the watchlist: cosine similarity with each person's enrolled embeddings
 * (the best one counts), a threshold per category, and a margin so that a face that looks about equally like
 * two listed people matches neither.
 */
export { type FaceCategory } from '../../shared/domain/faces';

/**
 * Similarity a face needs to match, per category (cosine of the L2-normalised embeddings, 1 = identical).
 * Measured with the shipped models (native-models/README.md, "Face models"): photos of the same person scored
 * 0.66-0.97 (down to 10 px between the eyes), photos of different people at most 0.51.
 * - 0.62: strict, few false matches (banned visitors, VIPs: an alarm must be worth an officer's walk);
 * - 0.58: lenient, finds more, more false matches to reject (a missing person: a missed sighting costs more).
 */
export const DEFAULT_CATEGORY_THRESHOLDS: Record<FaceCategory, number> = { banned: 0.62, vip: 0.62, 'missing-person': 0.58, other: 0.62 };

/**
 * A small face (eyes closer than `belowEyeDistancePx`) needs `extra` more similarity to match. Measured on the
 * corridor clip (native-models/README.md, "Face models"): at 10-12 px between the eyes the woman, not enrolled,
 * scored up to 0.70 to the man's enrolment (with its smaller copies), while the man's own faces scored 0.73-0.90
 * and hers to her own enrolment 0.81-0.95; large faces keep the plain threshold.
 */
export const SMALL_FACE = { belowEyeDistancePx: 14, extra: 0.1 } as const;

/** The best match must beat every other listed person by this much, or nobody is matched. */
export const AMBIGUITY_MARGIN = 0.05;

export interface WatchlistEmbeddings {
  id: string;
  name: string;
  category: FaceCategory;
  embeddings: readonly Float32Array[];
}

export interface FaceMatch {
  id: string;
  name: string;
  category: FaceCategory;
  similarity: number;
}

/** Similarity of `embedding` to each listed person (best over the person's enrolled embeddings), best first. */
export function rankWatchlist(embedding: Float32Array, list: readonly WatchlistEmbeddings[]): FaceMatch[] {
  return list
    .map((p) => ({ id: p.id, name: p.name, category: p.category, similarity: Math.max(-1, ...p.embeddings.map((e) => cosine(embedding, e))) }))
    .sort((a, b) => b.similarity - a.similarity);
}

/** `eyeDistancePx`: the size of the face seen (a small face needs SMALL_FACE.extra more); unknown: the plain threshold. */
export function matchFace(embedding: Float32Array, list: readonly WatchlistEmbeddings[], thresholds: Record<FaceCategory, number> = DEFAULT_CATEGORY_THRESHOLDS, eyeDistancePx?: number): FaceMatch | null {
  const ranked = rankWatchlist(embedding, list);
  const best = ranked[0];
  const extra = eyeDistancePx !== undefined && eyeDistancePx < SMALL_FACE.belowEyeDistancePx ? SMALL_FACE.extra : 0;
  if (!best || best.similarity < thresholds[best.category] + extra) return null;
  const second = ranked[1];
  if (second && best.similarity - second.similarity < AMBIGUITY_MARGIN) return null;
  return best;
}
