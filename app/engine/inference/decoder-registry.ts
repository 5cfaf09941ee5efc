import type { ModelManifest } from '../../shared/domain/model';
import type { DecoderFn } from './inference-api';
import type { ModelIo } from './decoders/model-io';
import { decodeUltralytics, validateUltralytics } from './decoders/ultralytics';
import { decodeYolox, validateYolox } from './decoders/yolox';

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
 * or at run time with `registerDecoder('centernet', {...})`.
 */
const decoders: Record<string, DecoderEntry> = {
  yolox: { decode: (i, s) => decodeYolox(i, s), decodeBatchItem: decodeYolox, validate: validateYolox },
  ultralytics: { decode: (i, s) => decodeUltralytics(i, s), decodeBatchItem: decodeUltralytics, validate: validateUltralytics },
};

export function registerDecoder(name: string, entry: DecoderEntry): void {
  decoders[name] = entry;
}

export function getDecoder(name: string): DecoderEntry {
  const d = decoders[name];
  if (!d) throw new Error(`no decoder "${name}" is available in this build (known: ${Object.keys(decoders).join(', ')})`);
  return d;
}

export const knownDecoders = (): string[] => Object.keys(decoders);
