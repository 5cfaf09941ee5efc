import type { CameraState } from '../../shared/domain/camera';
import type { FrameHeader } from '../../shared/domain/detection';
import type { Rule } from '../../shared/domain/rules';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { CompactTrack } from '../ledger/track-store';
import type { WorkerLogMessage } from '../logging/worker-logger';
import type { AnalyticsReport } from './analytics-stage';
import type { CameraRuntimeConfig } from './camera-runtime';
import type { DecodeStats } from './decode-timing';
import type { FfmpegTransportKind } from './ffmpeg-endpoints';

/**
 * Messages between the camera supervisor (parent) and one camera worker process (dist/node/camera-worker.cjs).
 * The unmasked source travels only inside `start`, never in arguments or environment (visible in `ps`).
 */

/** Tuning a camera worker runs with (timeouts, backoff, output size). */
export interface CameraWorkerOptions {
  /** Frame-gap watchdog: no frame for this long -> SIGKILL ffmpeg and reconnect; `stalled` at half of it. */
  watchdogGapMs: number;
  /** Time allowed from starting ffmpeg to the first frame, ms. */
  connectTimeoutMs: number;
  /** Retry period for permanent failures (offline), ms. */
  permanentRetryMs: number;
  /** First reconnect delay, ms (doubles up to `backoffMaxMs`, ±20 % jitter). */
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** How often the worker reports `stats`, ms. */
  statsIntervalMs: number;
  /** Display JPEG height limit (never upscaled). */
  displayMaxHeight: number;
  /** ffmpeg MJPEG quality 2..31. */
  jpegQuality: number;
  /** Socket I/O timeout passed to ffmpeg for network sources, ms. */
  ioTimeoutMs: number;
  /**
   * File sources: 'live' (default) plays at the file's own rate and drops frames inference cannot take;
   * 'inference' reads the file as fast as the inference worker takes frames and drops none (bench's flat-out runs).
   */
  pacing?: 'live' | 'inference';
  /** Frames of this camera in flight to the inference worker at once (default 1). */
  maxInFlight?: number;
  /**
   * How ffmpeg's outputs reach the worker (ffmpeg-endpoints.ts): inherited `pipes` or local `sockets`. Default:
   * the WATCHROOM_FFMPEG_TRANSPORT environment variable, else sockets on Windows and pipes elsewhere.
   */
  ffmpegTransport?: FfmpegTransportKind;
}

export const defaultCameraWorkerOptions: CameraWorkerOptions = {
  watchdogGapMs: 10_000,
  connectTimeoutMs: 20_000,
  permanentRetryMs: 60_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  statsIntervalMs: 2_000,
  displayMaxHeight: 720,
  jpegQuality: 5,
  ioTimeoutMs: 10_000,
};

/** Parent -> worker. */
export type ToCameraWorker =
  | { type: 'start'; config: CameraRuntimeConfig; options: CameraWorkerOptions }
  /** Replace the camera's rules without restarting (tracks are kept). */
  | { type: 'rules'; rules: Rule[] }
  /**
   * The analysis rate while the detector cannot keep up (engine's analysis-rate governor), or null for the
   * configured rate: applied without restarting ffmpeg (frames beyond it go out gated `load`).
   */
  | { type: 'reduced-rate'; fps: number | null }
  /** Replace the active privacy masks (burned into the display output; detections inside dropped). */
  | { type: 'masks'; masks: PrivacyMask[] }
  /** Stop ffmpeg and exit (code 0). */
  | { type: 'shutdown' };

/** CPU and memory of one process. */
export interface ProcessUsage {
  pid: number;
  /** Percent of one core over the last stats interval. */
  cpuPercent: number;
  rssBytes: number;
}

export interface CameraWorkerStats {
  /** Epoch ms of this report. */
  at: number;
  /** Frames emitted per second over the last interval. */
  fps: number;
  /** Epoch ms of the last decoded frame, null before the first. */
  lastFrameAt: number | null;
  /** Reconnections since the worker started. */
  reconnects: number;
  /** Frames decoded but not emitted (inference busy, or dropped by the inference worker). */
  droppedFrames: number;
  /**
   * ffmpeg's wall-clock decode time per decoded frame over the last 100 frames of the current run, from its
   * `-benchmark_all` lines (decode-timing.ts); absent before the first decoded frame and with ffmpeg versions
   * whose benchmark does not time the whole decode.
   */
  decode?: DecodeStats;
  /** Detection status: off (not configured), ok, or unavailable (with why). */
  detection: { status: 'off' | 'ok' | 'unavailable'; detail?: string; inferenceMs?: number };
  worker: ProcessUsage;
  /** Motion-gated detection and load: what the engine's analysis-rate governor and the Health page need. */
  analysis?: CameraAnalysisStatus;
  /** The current ffmpeg; usage is present on Linux only (read from /proc). */
  ffmpeg: { pid: number; usage?: ProcessUsage } | null;
}

export interface CameraAnalysisStatus {
  /** The camera has enabled rules. */
  hasRules: boolean;
  /** Live tracks of things that moved, after the last analysed frame. */
  liveTracks: number;
  /** Some live track is near a rule. */
  tracksNearRules: boolean;
  /** Analysed frames the detector ran on, and frames gated (nothing moving, or load), since the worker started. */
  detectedFrames: number;
  gatedFrames: number;
  /** The analysis rate while reduced for load; null at the configured rate. */
  reducedFps: number | null;
}

/** Worker -> parent. */
export type FromCameraWorker =
  /** Loaded and waiting for `start`. */
  | { type: 'ready' }
  | { type: 'state'; state: CameraState }
  | { type: 'frame'; header: FrameHeader; jpeg: Uint8Array }
  | { type: 'stats'; stats: CameraWorkerStats }
  /** Rule events and live counters of one analysed frame (sent when there are events, and about once a second). */
  | { type: 'analytics'; report: AnalyticsReport }
  /** Tracks that ended, compacted for the track store (dry runs of new rules). */
  | { type: 'tracks'; tracks: CompactTrack[] }
  /** ffmpeg started (pid) or ended (null); lets the parent kill a leftover ffmpeg if the worker is killed. */
  | { type: 'ffmpeg'; pid: number | null }
  /** A log line (worker-logger.ts), already redacted; the supervisor writes it through its logger. */
  | WorkerLogMessage;
