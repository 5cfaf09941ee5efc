import type { ModelManifest } from '../../../shared/domain/model';
import type { Candidate, DecodeInput } from '../inference-api';
import { inputToSourceBox } from '../letterbox';
import { fmtShape, isFixed, type ModelIo } from './model-io';

/**
 * Ultralytics exports, told apart by shape (nc = number of classes):
 * - YOLOv5: [B, N, 5+nc], rows [cx, cy, w, h, obj, cls...] (sigmoid-ed), score = obj * cls.
 * - YOLOv8 / YOLO11: [B, 4+nc, N] (channels first), no objectness, score = cls.
 * - the same without objectness but rows last: [B, N, 4+nc].
 * Boxes are centre/size in model-input pixels.
 */
export type UltralyticsLayout = 'v5' | 'v8' | 'v8-rows';

export function ultralyticsLayout(dims: readonly (number | string)[], nc: number): UltralyticsLayout | null {
  if (dims.length !== 3) return null;
  const [, a, b] = dims;
  if (b === 5 + nc) return 'v5';
  if (a === 4 + nc) return 'v8';
  if (b === 4 + nc) return 'v8-rows';
  return null;
}

export function decodeUltralytics(input: DecodeInput, minScore: number, batchIndex = 0): Candidate[] {
  const out = Object.values(input.outputs)[0];
  if (!out) throw new Error('ultralytics: model produced no output');
  const nc = input.manifest.classes.length;
  const layout = ultralyticsLayout(out.dims, nc);
  if (!layout) throw new Error(`ultralytics: output ${fmtShape(out.dims)} fits neither [1,N,${5 + nc}] nor [1,${4 + nc},N]`);
  const d = out.data;
  const per = (out.dims[1] ?? 0) * (out.dims[2] ?? 0);
  const base = batchIndex * per;
  const n = layout === 'v8' ? out.dims[2]! : out.dims[1]!;
  const row = out.dims[2]!;
  const result: Candidate[] = [];
  for (let i = 0; i < n; i++) {
    // value k of anchor i
    const at = layout === 'v8' ? (k: number) => d[base + k * n + i]! : (k: number) => d[base + i * row + k]!;
    const clsStart = layout === 'v5' ? 5 : 4;
    const obj = layout === 'v5' ? at(4) : 1;
    if (obj < minScore) continue;
    let best = 0;
    let bestC = -1;
    for (let c = 0; c < nc; c++) {
      const v = at(clsStart + c);
      if (v > best) { best = v; bestC = c; }
    }
    const score = obj * best;
    if (bestC < 0 || score < minScore) continue;
    const cx = at(0);
    const cy = at(1);
    const w = at(2);
    const h = at(3);
    result.push({ classId: bestC, score, box: inputToSourceBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, input.letterbox) });
  }
  return result;
}

export function validateUltralytics(io: ModelIo, manifest: ModelManifest): string | null {
  const nc = manifest.classes.length;
  if (io.outputs.length < 1) return 'ultralytics expects an output, the model has none';
  const o = io.outputs[0]!;
  if (o.shape.length !== 3) return `ultralytics expects [1,N,${5 + nc}] (YOLOv5) or [1,${4 + nc},N] (YOLOv8/11), output ${o.name}${fmtShape(o.shape)}`;
  const fixed = o.shape.map((d) => (isFixed(d) ? d : -1));
  if (!ultralyticsLayout(fixed, nc)) return `ultralytics expects [1,N,${5 + nc}] (YOLOv5) or [1,${4 + nc},N] (YOLOv8/11) for ${nc} classes, output ${o.name}${fmtShape(o.shape)}`;
  return null;
}
