import type { Box } from '../../shared/domain/detection';

/** One annotated or hypothesised object in one frame (box normalised xyxy). */
export interface MotBox {
  id: number;
  box: Box;
}

/** Boxes per decoded frame index (0-based). */
export type MotFrames = Map<number, MotBox[]>;

/**
 * Parses MOTChallenge gt.txt (`frame,id,left,top,width,height,conf,x,y,z`, frames from 1, pixels) into
 * normalised xyxy boxes keyed by DECODED frame index (GT frame N = decoded frame N-1). Rows with conf 0
 * (ignore regions) are skipped. Boxes are not clipped (callers clip when they need to).
 */
export function parseMotGt(text: string, width: number, height: number): MotFrames {
  const frames: MotFrames = new Map();
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const f = line.split(',').map(Number);
    if (f.length < 6 || f.slice(0, 6).some((v) => !Number.isFinite(v))) {
      throw new Error(`line ${n + 1}: not a MOT row (frame,id,left,top,width,height,...): ${line.slice(0, 80)}`);
    }
    if (f[0]! < 1 || !Number.isInteger(f[0]) || f[4]! <= 0 || f[5]! <= 0) {
      throw new Error(`line ${n + 1}: frame must be a whole number from 1 and width/height above 0: ${line.slice(0, 80)}`);
    }
    const [frame, id, left, top, w, h] = f as [number, number, number, number, number, number];
    if (f.length >= 7 && f[6] === 0) continue;
    const list = frames.get(frame - 1) ?? [];
    list.push({ id, box: [left / width, top / height, (left + w) / width, (top + h) / height] });
    frames.set(frame - 1, list);
  }
  return frames;
}
