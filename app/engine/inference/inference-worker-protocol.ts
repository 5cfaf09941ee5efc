import type { LogLevel } from '../logging/logger';
import type { FaceLookReply, FaceLookRequest } from '../faces/face-look';
import type { CameraInferenceStats } from './inference-server';

/**
 * Messages between the inference host (inference-host.ts, in the engine) and the shared inference worker
 * (inference-worker.entry.ts, dist/node/inference-worker.cjs), over the worker's IPC channel. Frames do not travel
 * here: cameras send them to the worker's socket or named pipe (inference-client.ts, frame-wire.ts).
 *
 * Face looks (issue 23) do travel here, a display JPEG (tens of KB) each, at most one a second per person track:
 * both channels keep typed arrays binary (Node's fork with `serialization: 'advanced'` in node-worker-starter.ts,
 * Electron's utilityProcess postMessage: structured clone), so the JPEG, the embedding and the crop are copied as
 * bytes, never spelled out as JSON numbers. Each side checks what it receives (FaceLookRequestSchema in the worker,
 * FaceLookReplySchema in the engine).
 */

/** One model a camera asked for, loaded beside the primary: its id and its manifest path (or id). */
export interface ExtraModelRequest {
  id: string;
  model: string;
}

/** Host -> worker. */
export type ToInferenceWorker =
  /** Close the socket, unload the models and exit (code 0). */
  | { type: 'shutdown' }
  /** Load this model (manifest path or id; absent: the registry's best) as the primary; the old one stays when it fails. */
  | { type: 'reload'; model?: string }
  /** The other models cameras asked for: load the missing ones, unload the ones not named. */
  | { type: 'extras'; models: ExtraModelRequest[] }
  /** Find faces in these head regions (the live face step); answered by a `face-look` with the same id. */
  | { type: 'face-look'; id: number; look: FaceLookRequest };

/** The worker's periodic `stats` message. */
export interface InferenceWorkerStats {
  /** Per camera id. */
  cameras: Record<string, CameraInferenceStats>;
  modelId: string | null;
  executionProvider: string | null;
  /** Percent of one core over the last period. */
  cpuPercent: number;
  rssBytes: number;
  /** Frames waiting for a session. */
  pending: number;
  /** Face looks: waiting now, and since the worker started done, skipped (queue full, replaced) and failed. */
  faceLooks: { waiting: number; done: number; skipped: number; errors: number };
}

/** The worker's extra models after an `extras` request: loaded ones, and the ones that failed with why. */
export interface ExtraModelsReport {
  loaded: { modelId: string; executionProvider: string }[];
  failed: { modelId: string; error: string }[];
}

/** Worker -> host. */
export type FromInferenceWorker =
  | { type: 'log'; level: LogLevel; msg: string; fields?: Record<string, unknown> }
  | ({ type: 'stats' } & InferenceWorkerStats)
  /** The worker could not start at all; it exits (code 1) after this. */
  | { type: 'fatal'; message: string }
  /**
   * Listening on `endpoint` with the first model loaded (modelId null and `error` when it did not load). `maxBatch`:
   * the most frames the model takes in one run; `sessions`: the parallel sessions (0 without a model).
   */
  | { type: 'ready'; endpoint: string; modelId: string | null; executionProvider: string | null; maxBatch: number; sessions: number; error: string | null }
  /** The answer to `reload`: the primary now (the previous one when the new one failed, with `error`). */
  | { type: 'model'; modelId: string | null; executionProvider: string | null; error: string | null }
  /** The answer to `extras`. */
  | ({ type: 'extras' } & ExtraModelsReport)
  /** The answer to a `face-look`. */
  | { type: 'face-look'; id: number; reply: FaceLookReply };
