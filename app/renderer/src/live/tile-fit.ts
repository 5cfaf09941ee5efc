/** Where a source picture lands inside a tile when scaled to fit with its aspect kept (letterboxed). */
export interface Fit {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function fitContain(srcW: number, srcH: number, boxW: number, boxH: number): Fit {
  if (srcW <= 0 || srcH <= 0 || boxW <= 0 || boxH <= 0) return { x: 0, y: 0, width: 0, height: 0 };
  const scale = Math.min(boxW / srcW, boxH / srcH);
  const width = srcW * scale;
  const height = srcH * scale;
  return { x: (boxW - width) / 2, y: (boxH - height) / 2, width, height };
}

/** Maps a normalised xyxy box into tile pixels for a fit, clamped to the picture. */
export function boxToFit(box: readonly [number, number, number, number], fit: Fit): Fit {
  const c = (v: number) => Math.min(1, Math.max(0, v));
  const x1 = fit.x + c(box[0]) * fit.width;
  const y1 = fit.y + c(box[1]) * fit.height;
  const x2 = fit.x + c(box[2]) * fit.width;
  const y2 = fit.y + c(box[3]) * fit.height;
  return { x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/**
 * Fits a picture between a tile's header and footer bands (camera name on top, figures below), so neither band
 * hides the top or bottom of the picture: the picture is fitted into the space left between them.
 */
export function fitBetweenBars(srcW: number, srcH: number, boxW: number, boxH: number, top: number, bottom: number): Fit {
  const f = fitContain(srcW, srcH, boxW, Math.max(0, boxH - top - bottom));
  return f.width === 0 ? f : { ...f, y: f.y + top };
}
