/**
 * Per-tile figures exposed on `window.__watchroomDebug.tiles[cameraId]` for end-to-end tests (read-only for
 * them; the live tile writes it on every paint). Cheap: plain numbers, no frames.
 */
export interface TileDebugRecord {
  paintedFrames: number;
  lastSeq: number | null;
  lastPts: number | null;
  /** Epoch ms of the last paint. */
  lastPaintedAt: number | null;
  /** Painted frames whose overlay seq equalled the seq of the picture shown with it. */
  overlayMatches: number;
  /** Painted frames that carried detections (an overlay, possibly empty). */
  overlayTotal: number;
  /** Boxes drawn over all painted frames (0 while detection is off or the boxes toggle is off). */
  boxesPainted: number;
  /** Boxes drawn on the last painted frame. */
  lastBoxes: number;
  /** The HUD line of the last painted frame (analysis fps, inference ms, dropped frames). */
  hud: string;
  /** Frame decoded (capturedAt) -> painted, ms, for the last painted frames (at most 2 000; `bench --ui`). */
  paintLatencyMs: number[];
}

interface DebugRoot {
  tiles: Record<string, TileDebugRecord>;
}

function root(): DebugRoot {
  const g = globalThis as unknown as { __watchroomDebug?: DebugRoot };
  if (!g.__watchroomDebug) g.__watchroomDebug = { tiles: {} };
  return g.__watchroomDebug;
}

/** The record of one camera's tile, created on first use and kept across remounts of the tile. */
export function tileDebug(cameraId: string): TileDebugRecord {
  const tiles = root().tiles;
  return (tiles[cameraId] ??= { paintedFrames: 0, lastSeq: null, lastPts: null, lastPaintedAt: null, overlayMatches: 0, overlayTotal: 0, boxesPainted: 0, lastBoxes: 0, hud: '', paintLatencyMs: [] });
}
