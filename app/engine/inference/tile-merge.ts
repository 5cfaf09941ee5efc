import type { Box } from '../../shared/domain/detection';
import type { TileRect } from '../../shared/domain/detection-tiling';
import type { Detection } from '../../shared/domain/detection';
import type { ModelManifest } from '../../shared/domain/model';
import type { Candidate } from './inference-api';
import { filterCandidates, iou, nmsIouOf, type PostprocessOptions } from './postprocess';

/**
 * Merging the detections of a tiled frame (detection-tiling.ts) into one list for the whole frame.
 *
 * 1. Class-aware NMS at the model's own IoU over all tiles together: a person seen whole by two overlapping tiles
 *    is one box. Two people standing side by side overlap far less than that threshold and stay two, exactly as
 *    on an untiled frame (no "merge everything that touches" step that would fuse a group into one box). A box that
 *    NMS suppresses but that is the other tile's part of a person cut by a seam (rule 2) widens the kept box.
 * 2. Seam merge: a box CUT by a tile's inner edge (its edge lies on that tile's border, and the border is not the
 *    frame's) is the part of a person the tile could see. It is joined (box union, best score) with a box of the
 *    same class from another input that sees across that border, when the two agree where both inputs see: inside
 *    the region the two inputs share, their parts overlap by at least SEAM_MATCH_IOU. A neighbour who stands beside
 *    the cut person inside the shared region does not agree there (different place), so it is never merged.
 * Pure; boxes in normalised frame coordinates.
 */
export interface TileCandidate {
  classId: number;
  score: number;
  /** Normalised frame coordinates. */
  box: Box;
  /** Index of the model input (tile) it came from. */
  tile: number;
}

export interface MergedCandidate {
  classId: number;
  score: number;
  box: Box;
}

/** A box edge within this fraction of its tile's size from the tile's border counts as cut by it. */
export const SEAM_EDGE_TOLERANCE = 0.02;
/** Two parts agree in the shared region when their IoU there is at least this. */
export const SEAM_MATCH_IOU = 0.5;

/** Tile rectangles as normalised frame boxes. */
export function normalisedTiles(tiles: readonly TileRect[], srcWidth: number, srcHeight: number): Box[] {
  return tiles.map((t) => [t.x / srcWidth, t.y / srcHeight, (t.x + t.width) / srcWidth, (t.y + t.height) / srcHeight]);
}

/** Maps a box normalised to a tile into normalised frame coordinates. */
export function tileToFrameBox(b: Box, tile: TileRect, srcWidth: number, srcHeight: number): Box {
  return [(tile.x + b[0] * tile.width) / srcWidth, (tile.y + b[1] * tile.height) / srcHeight, (tile.x + b[2] * tile.width) / srcWidth, (tile.y + b[3] * tile.height) / srcHeight];
}

function intersect(a: Box, b: Box): Box | null {
  const r: Box = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[2] > r[0] && r[3] > r[1] ? r : null;
}

const EPS = 1e-9;

/** The inner borders of `tile` that `box` is cut by: 0 left, 1 top, 2 right, 3 bottom. */
export function cutEdges(box: Box, tile: Box): number[] {
  const tolX = (tile[2] - tile[0]) * SEAM_EDGE_TOLERANCE;
  const tolY = (tile[3] - tile[1]) * SEAM_EDGE_TOLERANCE;
  const out: number[] = [];
  if (tile[0] > EPS && box[0] - tile[0] <= tolX) out.push(0);
  if (tile[1] > EPS && box[1] - tile[1] <= tolY) out.push(1);
  if (tile[2] < 1 - EPS && tile[2] - box[2] <= tolX) out.push(2);
  if (tile[3] < 1 - EPS && tile[3] - box[3] <= tolY) out.push(3);
  return out;
}

/** Whether `other` sees across border `edge` of `tile` (the border lies strictly inside `other`). */
function seesAcross(edge: number, tile: Box, other: Box): boolean {
  const v = tile[edge]!;
  return edge === 0 || edge === 2 ? other[0] < v - EPS && v < other[2] - EPS : other[1] < v - EPS && v < other[3] - EPS;
}

interface Merged extends MergedCandidate {
  /** The inputs this box was seen by (one, or several once merged across a seam). */
  sources: number[];
}

/** One box for both: the union, the better score, both inputs. */
function join(a: Merged, b: Merged): Merged {
  return {
    classId: a.classId,
    score: Math.max(a.score, b.score),
    box: [Math.min(a.box[0], b.box[0]), Math.min(a.box[1], b.box[1]), Math.max(a.box[2], b.box[2]), Math.max(a.box[3], b.box[3])],
    sources: [...new Set([...a.sources, ...b.sources])],
  };
}

/** `a` is cut by a border of one of its tiles that `b`'s tile sees across, and both agree where they both look. */
function joinsAcrossSeam(a: Merged, b: Merged, tiles: readonly Box[]): boolean {
  for (const ta of a.sources) {
    const tileA = tiles[ta]!;
    const edges = cutEdges(a.box, tileA);
    if (edges.length === 0) continue;
    for (const tb of b.sources) {
      if (tb === ta) continue;
      const tileB = tiles[tb]!;
      if (!edges.some((e) => seesAcross(e, tileA, tileB))) continue;
      const shared = intersect(tileA, tileB);
      if (!shared) continue;
      const pa = intersect(a.box, shared);
      const pb = intersect(b.box, shared);
      if (pa && pb && iou(pa, pb) >= SEAM_MATCH_IOU) return true;
    }
  }
  return false;
}

/**
 * Candidates of all inputs of one frame (already thresholded, mapped to the frame) -> one list, best score first.
 * `tiles`: every input's rectangle as a normalised frame box (normalisedTiles), indexed by `TileCandidate.tile`.
 */
export function mergeTileCandidates(candidates: readonly TileCandidate[], tiles: readonly Box[], iouThreshold: number): MergedCandidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Merged[] = [];
  for (const c of sorted) {
    const cand: Merged = { classId: c.classId, score: c.score, box: c.box, sources: [c.tile] };
    const k = kept.find((k) => k.classId === c.classId && iou(k.box, c.box) > iouThreshold);
    if (!k) kept.push(cand);
    // suppressed; but when it is the other tile's part of a person cut by a seam, it still extends the box
    else if (!k.sources.includes(c.tile) && (joinsAcrossSeam(k, cand, tiles) || joinsAcrossSeam(cand, k, tiles))) Object.assign(k, join(k, cand));
  }
  // seam merge: join pairs until none is left (a person across three tiles joins twice)
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < kept.length; i++) {
      for (let j = i + 1; j < kept.length; j++) {
        const a = kept[i]!;
        const b = kept[j]!;
        if (a.classId !== b.classId || (a.sources.length === 1 && b.sources.length === 1 && a.sources[0] === b.sources[0])) continue;
        if (!joinsAcrossSeam(a, b, tiles) && !joinsAcrossSeam(b, a, tiles)) continue;
        kept[i] = join(a, b);
        kept.splice(j, 1);
        changed = true;
        break outer;
      }
    }
  }
  // a joined box may now cover another box of the same person: the NMS rule once more, best score first
  kept.sort((a, b) => b.score - a.score);
  const out: MergedCandidate[] = [];
  for (const k of kept) {
    if (out.some((o) => o.classId === k.classId && iou(o.box, k.box) > iouThreshold)) continue;
    out.push({ classId: k.classId, score: k.score, box: k.box });
  }
  return out;
}

/**
 * postprocess() for a tiled frame: each input's candidates (normalised to its tile) are thresholded in the tile's
 * own coordinates (so the minimum box area is measured in model-input pixels, as on an untiled frame, and small
 * people are not filtered out by the frame's size), mapped to the frame and merged (mergeTileCandidates).
 */
export function postprocessTiles(perInput: readonly Candidate[][], tiles: readonly TileRect[], srcWidth: number, srcHeight: number, manifest: ModelManifest, opts: PostprocessOptions = {}): Detection[] {
  const all: TileCandidate[] = [];
  perInput.forEach((cands, i) => {
    const tile = tiles[i]!;
    for (const d of filterCandidates(cands, manifest, opts)) all.push({ classId: d.classId, score: d.score, box: tileToFrameBox(d.box, tile, srcWidth, srcHeight), tile: i });
  });
  return mergeTileCandidates(all, normalisedTiles(tiles, srcWidth, srcHeight), nmsIouOf(manifest, opts)).map((c) => ({
    cls: manifest.classes[c.classId] ?? `class${c.classId}`,
    classId: c.classId,
    score: c.score,
    box: c.box,
  }));
}
