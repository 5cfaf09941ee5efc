import type { Box, Detection } from '../../shared/domain/detection';
import type { TileRect } from '../../shared/domain/detection-tiling';
import type { ModelManifest } from '../../shared/domain/model';

/**
 * The seam between camera workers and the shared inference worker (one model in memory for every camera). Camera workers ask ffmpeg for
 * frames already scaled/letterboxed to the model input (see ModelInputSpec) and send the raw bytes here;
 * the inference worker converts layout/type only, runs ONNX Runtime, decodes, and answers with boxes in
 * normalised SOURCE-frame coordinates.
 */
export interface ModelInputSpec {
  modelId: string;
  /** Model input width/height in pixels. */
  width: number;
  height: number;
  colour: 'bgr' | 'rgb';
  letterbox: 'topleft' | 'center' | 'stretch';
  padValue: number;
}

export interface LetterboxInfo {
  srcWidth: number;
  srcHeight: number;
  inputWidth: number;
  inputHeight: number;
  /** Scaled content size inside the input (equals input size for stretch). */
  contentWidth: number;
  contentHeight: number;
  /** Offset of the content inside the input (0,0 for topleft). */
  padX: number;
  padY: number;
}

export interface FrameForInference {
  cameraId: string;
  seq: number;
  pts: number;
  capturedAt: number;
  srcWidth: number;
  srcHeight: number;
  /**
   * width*height*3 bytes, interleaved, in the spec's colour order, already letterboxed to the spec; for a tiled frame
   * one such input per tile, stacked in the order of `tiles`.
   */
  data: Uint8Array;
  spec: ModelInputSpec;
  /** Tiled detection (detection-tiling.ts): the source rectangle each stacked input shows; absent: one input, the whole frame. */
  tiles?: TileRect[];
}

export type InferenceReply =
  | { status: 'ok'; seq: number; detections: Detection[]; inferenceMs: number; modelId: string; detectedAt: number }
  /** A newer frame of the same camera replaced this one before it ran (latest frame wins). */
  | { status: 'dropped'; seq: number }
  | { status: 'error'; seq: number; message: string };

export interface InferenceClient {
  detect(frame: FrameForInference): Promise<InferenceReply>;
  close(): void;
}

/** Decoder plumbing shared by yolox / ultralytics / centernet decoders. */
export interface TensorView {
  data: Float32Array;
  dims: readonly number[];
}
export interface DecodeInput {
  outputs: Record<string, TensorView>;
  manifest: ModelManifest;
  letterbox: LetterboxInfo;
}
/** A candidate box in normalised source-frame coordinates, before thresholds, class filter and NMS. */
export interface Candidate {
  classId: number;
  score: number;
  box: Box;
}
export type DecoderFn = (input: DecodeInput, minScore: number) => Candidate[];
