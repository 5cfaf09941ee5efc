import type { ModelManifest } from '../../shared/domain/model';
import type { DecoderFn } from './inference-api';
import type { ModelIo } from './decoders/model-io';
import { decodeUltralytics, validateUltralytics } from './decoders/ultralytics';
import { decodeYolox, validateYolox } from './decoders/yolox';
import { decodeCenternet } from './decoders/centernet';

/** A decoder: turns raw outputs into candidates, and says whether a model's I/O fits it. */
export interface DecoderEntry {
  decode: DecoderFn;
  /** Decodes one item of a batch (batch dimension > 1); absent: the decoder only handles batch 1. */
  decodeBatchItem?: (input: Parameters<DecoderFn>[0], minScore: number, batchIndex: number) => ReturnType<DecoderFn>;
  /** null when the ONNX inputs/outputs fit this decoder and manifest, else an officer-readable reason. */
  validate?: (io: ModelIo, manifest: ModelManifest) => string | null;
}

/**
 * Decoders keyed by `manifest.decoder`. REGISTRATION POINT: a new decoder (e.g. `centernet` in
 * decoders/centernet.ts, same DecoderFn signature) is added here:
 *   import { decodeCenternet, validateCenternet } from './decoders/centernet';
 *   centernet: { decode: decodeCenternet, validate: validateCenternet },
 */
const decoders: Record<string, DecoderEntry> = {
  yolox: { decode: (i, s) => decodeYolox(i, s), decodeBatchItem: decodeYolox, validate: validateYolox },
  ultralytics: { decode: (i, s) => decodeUltralytics(i, s), decodeBatchItem: decodeUltralytics, validate: validateUltralytics },
  centernet: { decode: decodeCenternet, validate: validateCenternet },
};

/** CenterNet needs its two named rank-4 outputs (heatmap and l/t/r/b sizes) and one image input. */
function validateCenternet(io: ModelIo, manifest: ModelManifest): string | null {
  const opts = manifest.decoderOptions as { heatmap?: string; sizes?: string };
  for (const name of [opts.heatmap ?? 'keypoints', opts.sizes ?? 'wh']) {
    const out = io.outputs.find((o) => o.name === name);
    if (!out) return `the model has no output "${name}" (outputs: ${io.outputs.map((o) => o.name).join(', ')}), so it cannot be decoded as centernet`;
    if (out.shape.length !== 4) return `output "${name}" has rank ${out.shape.length}; centernet expects [1,C,H,W]`;
  }
  if (io.inputs.length !== 1) return `centernet expects one image input, the model has ${io.inputs.length}`;
  return null;
}

export function getDecoder(name: string): DecoderEntry {
  const d = decoders[name];
  if (!d) throw new Error(`no decoder "${name}" is available in this build (known: ${Object.keys(decoders).join(', ')})`);
  return d;
}
