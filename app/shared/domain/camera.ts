import { z } from 'zod';
import { maskUrlCredentials } from '../url-masking';
import { DetectionTilingSchema } from './detection-tiling';
import { DEFAULT_MOTION_GATING, MotionGatingSchema } from './motion-gating';
import { checkFileUrl } from './file-url';

/**
 * Camera configuration and lifecycle. Pure: shared by the engine, both hosts and the renderer.
 *
 * Sources:
 *  - `rtsp://` / `rtsps://`           network camera (transport tcp or udp)
 *  - `http://` / `https://`           MJPEG or HLS stream
 *  - an absolute file path or file:// a local video file, played in a loop as a live camera
 *  - `/dev/videoN` (V4L2), `video=<name>` (DirectShow on Windows) or `avfoundation:<index>` (macOS): a USB camera
 */
export type SourceKind = 'rtsp' | 'http' | 'file' | 'device';

export interface ParsedSource {
  kind: SourceKind;
  /** Password and credential query values replaced by `***` (maskUrlCredentials); safe to log and show. */
  masked: string;
}

const DEVICE_RE = /^(\/dev\/video\d{1,3}|video=.{1,200}|avfoundation:\d{1,3})$/;

/** Classifies a camera source; throws an Error with an officer-readable message when it is not usable. */
export function parseSource(raw: string): ParsedSource {
  const s = raw.trim();
  if (!s) throw new Error('The source is empty.');
  if (/[\0\r\n]/.test(s)) throw new Error('The source contains control characters.');
  if (DEVICE_RE.test(s)) return { kind: 'device', masked: s };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
  if (scheme && scheme.length > 1) {
    if (scheme === 'file') {
      checkFileUrl(s);
      return { kind: 'file', masked: s };
    }
    if (!['rtsp', 'rtsps', 'http', 'https'].includes(scheme)) {
      throw new Error(`Unsupported source scheme "${scheme}:". Use rtsp://, rtsps://, http(s)://, a video file path or a device such as /dev/video0.`);
    }
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new Error('The camera URL is malformed.');
    }
    if (!u.hostname) throw new Error('The camera URL has no host.');
    if (u.port && (Number(u.port) < 1 || Number(u.port) > 65535)) throw new Error('The camera URL has an invalid port.');
    return { kind: scheme.startsWith('rtsp') ? 'rtsp' : 'http', masked: maskUrlCredentials(s) };
  }
  // A local path: absolute POSIX path or Windows drive / UNC path.
  if (s.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(s) || s.startsWith('\\\\')) return { kind: 'file', masked: s };
  throw new Error('The source is not a URL, an absolute file path or a device. Examples: rtsp://camera.local/stream1, /videos/door.mp4, /dev/video0.');
}

export const SourceSchema = z
  .string()
  .max(2048)
  .superRefine((v, ctx) => {
    try {
      parseSource(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  });

/** What an admin enters for a camera. */
export const CameraInputSchema = z.object({
  /** Display name, unique per site. */
  name: z.string().trim().min(1, 'The name is empty.').max(80),
  /** Source URL, path or device (see parseSource). A saved password may be sent back as `***` to keep it. */
  source: SourceSchema,
  /** RTSP transport; ignored for other sources. */
  rtspTransport: z.enum(['tcp', 'udp']).default('tcp'),
  /** Frames per second analysed (and shown live). */
  analysisFps: z.number().min(0.5).max(30).default(10),
  /** Disabled cameras keep their configuration but run no worker. */
  enabled: z.boolean().default(true),
  /** Detector for this camera; null = the site default. */
  modelId: z.string().min(1).max(120).nullable().default(null),
  /**
   * Tiled detection for people who are small in the picture (detection-tiling.ts); null = off (the whole frame is
   * one model input). Costs about modelInputsPerFrame() times the detection work of this camera.
   */
  detectionTiling: DetectionTilingSchema.nullable().default(null),
  /** Motion-gated detection (motion-gating.ts): on by default; the detector runs only where and while it can matter. */
  motionGating: MotionGatingSchema.default(DEFAULT_MOTION_GATING),
});
/**
 * An edit: any subset of the fields, WITHOUT defaults (CameraInputSchema.partial() would fill absent fields
 * with their defaults and so silently re-enable a camera or reset its fps on a rename).
 */
export const CameraPatchSchema = z.object({
  name: CameraInputSchema.shape.name.optional(),
  source: SourceSchema.optional(),
  rtspTransport: CameraInputSchema.shape.rtspTransport.unwrap().optional(),
  analysisFps: CameraInputSchema.shape.analysisFps.unwrap().optional(),
  enabled: CameraInputSchema.shape.enabled.unwrap().optional(),
  modelId: CameraInputSchema.shape.modelId.unwrap().optional(),
  detectionTiling: CameraInputSchema.shape.detectionTiling.unwrap().optional(),
  motionGating: MotionGatingSchema.optional(),
});
export type CameraPatch = z.output<typeof CameraPatchSchema>;
export type CameraInput = z.input<typeof CameraInputSchema>;
export type CameraSettings = z.output<typeof CameraInputSchema>;

export const CameraIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Invalid camera id.');

/**
 * Camera lifecycle (one per camera, owned by the engine's camera supervisor).
 *
 *   disabled ──enable──▶ connecting ──first frame──▶ online ◀──frames again── stalled
 *       ▲                    │                          │ no frame for gap/2 ──▶ │
 *       │                    │ ffmpeg exits / fails     │ ffmpeg exits           │ no frame for gap: SIGKILL
 *       │                    ▼                          ▼                        ▼
 *   (disable from       reconnecting(attempt, retryAt) ◀─────────────────────────┘
 *    any state)              │ backoff 1 s doubling to 60 s, ±20 % jitter
 *                            └──▶ connecting
 *   connecting/reconnecting ──permanent error (bad file, not a video, no such device,
 *                              auth refused)──▶ offline(reason)   (retried slowly, every 60 s)
 *   a malformed source ──▶ offline(reason, retryAt null)   (never retried; fix the configuration)
 *   the camera's worker process crashes (any state) ──▶ reconnecting; the worker restarts with backoff
 * Transitions are implemented by nextCameraState() in app/engine/camera/camera-state.ts.
 */
export type CameraState =
  | { type: 'disabled' }
  | { type: 'connecting'; since: number; attempt: number }
  | { type: 'online'; since: number }
  | { type: 'stalled'; since: number; lastFrameAt: number }
  | { type: 'reconnecting'; since: number; attempt: number; retryAt: number; reason: string }
  | { type: 'offline'; since: number; reason: string; retryAt: number | null };
export type CameraStateType = CameraState['type'];

export const CameraStateSchema: z.ZodType<CameraState> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('disabled') }),
  z.object({ type: z.literal('connecting'), since: z.number(), attempt: z.number() }),
  z.object({ type: z.literal('online'), since: z.number() }),
  z.object({ type: z.literal('stalled'), since: z.number(), lastFrameAt: z.number() }),
  z.object({ type: z.literal('reconnecting'), since: z.number(), attempt: z.number(), retryAt: z.number(), reason: z.string() }),
  z.object({ type: z.literal('offline'), since: z.number(), reason: z.string(), retryAt: z.number().nullable() }),
]);

/** A camera as the renderer sees it: credentials masked, state attached. */
export const CameraViewSchema = z.object({
  id: CameraIdSchema,
  name: z.string(),
  /** Source with the password replaced by `***`. */
  source: z.string(),
  sourceKind: z.enum(['rtsp', 'http', 'file', 'device']),
  rtspTransport: z.enum(['tcp', 'udp']),
  analysisFps: z.number(),
  enabled: z.boolean(),
  modelId: z.string().nullable(),
  /** Tiled detection; null or absent = off. */
  detectionTiling: DetectionTilingSchema.nullable().optional(),
  /** Motion-gated detection; absent = the default (on, medium). */
  motionGating: MotionGatingSchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: CameraStateSchema,
});
export type CameraView = z.infer<typeof CameraViewSchema>;
