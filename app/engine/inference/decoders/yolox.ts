import type { ModelManifest } from '../../../shared/domain/model';
import type { Candidate, DecodeInput } from '../inference-api';
import { inputToSourceBox } from '../letterbox';
import { manifestInputSize } from '../model-input-filter';
import { fmtShape, isFixed, type ModelIo } from './model-io';

/**
 * YOLOX (Megvii) head, export with decode_in_inference=False: output [B, A, 5+nc], rows [tx, ty, tw, th, obj,
 * cls...] (obj/cls already sigmoid-ed); anchors are the grids of each stride (default 8, 16, 32), row-major.
 * cx = (tx+gx)*s, cy = (ty+gy)*s, w = exp(tw)*s, h = exp(th)*s; score = obj * max(cls).
 */
export function yoloxStrides(manifest: ModelManifest): number[] {
  const s = manifest.decoderOptions.strides;
  return Array.isArray(s) && s.every((v) => typeof v === 'number' && v > 0) ? (s as number[]) : [8, 16, 32];
}

export function yoloxAnchorCount(width: number, height: number, strides: number[]): number {
  return strides.reduce((n, s) => n + Math.floor(height / s) * Math.floor(width / s), 0);
}

/** Decodes batch item `batchIndex` (default 0). */
export function decodeYolox(input: DecodeInput, minScore: number, batchIndex = 0): Candidate[] {
  const out = Object.values(input.outputs)[0];
  if (!out) throw new Error('yolox: model produced no output');
  const { width, height } = manifestInputSize(input.manifest);
  const strides = yoloxStrides(input.manifest);
  const anchors = out.dims[1] ?? 0;
  const row = out.dims[2] ?? 0;
  const nc = row - 5;
  if (nc < 1 || anchors !== yoloxAnchorCount(width, height, strides)) throw new Error(`yolox: output ${fmtShape(out.dims)} does not fit input ${width}x${height}`);
  const d = out.data;
  const base = batchIndex * anchors * row;
  const result: Candidate[] = [];
  let a = 0;
  for (const s of strides) {
    const gh = Math.floor(height / s);
    const gw = Math.floor(width / s);
    for (let gy = 0; gy < gh; gy++) {
      for (let gx = 0; gx < gw; gx++, a++) {
        const o = base + a * row;
        const obj = d[o + 4]!;
        if (obj < minScore) continue;
        let best = 0;
        let bestC = -1;
        for (let c = 0; c < nc; c++) {
          const v = d[o + 5 + c]!;
          if (v > best) { best = v; bestC = c; }
        }
        const score = obj * best;
        if (bestC < 0 || score < minScore) continue;
        const cx = (d[o]! + gx) * s;
        const cy = (d[o + 1]! + gy) * s;
        const w = Math.exp(d[o + 2]!) * s;
        const h = Math.exp(d[o + 3]!) * s;
        result.push({ classId: bestC, score, box: inputToSourceBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, input.letterbox) });
      }
    }
  }
  return result;
}

/** null when the model's I/O fits the manifest and this decoder, else a reason. */
export function validateYolox(io: ModelIo, manifest: ModelManifest): string | null {
  const { width, height } = manifestInputSize(manifest);
  if (io.outputs.length !== 1) return `yolox expects 1 output [1,A,5+classes], the model has ${io.outputs.length} (${io.outputs.map((o) => `${o.name}${fmtShape(o.shape)}`).join(', ')})`;
  const o = io.outputs[0]!;
  const strides = yoloxStrides(manifest);
  const anchors = yoloxAnchorCount(width, height, strides);
  const want = `[1,${anchors},${5 + manifest.classes.length}]`;
  if (o.shape.length !== 3) return `yolox expects output ${want}, the model has ${o.name}${fmtShape(o.shape)}`;
  if (isFixed(o.shape[1]) && o.shape[1] !== anchors) return `yolox expects ${anchors} anchors (strides ${strides.join('/')} at ${width}x${height}), output ${o.name}${fmtShape(o.shape)}`;
  if (isFixed(o.shape[2]) && o.shape[2] !== 5 + manifest.classes.length) return `yolox expects 5+${manifest.classes.length} values per row, output ${o.name}${fmtShape(o.shape)}`;
  return null;
}
