import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/support/shared-fixtures';
import type { CameraState } from '../../shared/domain/camera';
import type { FrameHeader } from '../../shared/domain/detection';
import { PrivacyMaskSchema, type PrivacyMask } from '../../shared/domain/privacy-mask';
import { resolveFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import type { InferenceClient, ModelInputSpec } from '../inference/inference-api';
import { SnapshotStore } from '../ledger/snapshot-store';
import { nullLogger } from '../logging/logger';
import { CameraSession } from './camera-session';
import { defaultCameraWorkerOptions } from './camera-worker-protocol';
import type { FfmpegTransportKind } from './ffmpeg-endpoints';

// Privacy masks burned in by the camera's real ffmpeg: checked on the pixels of the display JPEGs it emits
// (the live view), of a snapshot written from them (what reports and exports use), and across a live change. Run
// over both transports: the mask image on inherited fd 5 (Linux/macOS), and as a file with local sockets (Windows).

const CLIP = 'intel_face_demographics_walking_preview.mp4';
const solidLeft: PrivacyMask = PrivacyMaskSchema.parse({ id: 'left', points: [[0, 0], [0.25, 0], [0.25, 1], [0, 1]], style: 'solid' });
const blurMid: PrivacyMask = PrivacyMaskSchema.parse({ id: 'mid', points: [[0.5, 0], [0.75, 0], [0.75, 1], [0.5, 1]], style: 'blur' });

let sessions: CameraSession[] = [];
const tmp: string[] = [];
afterEach(async () => {
  await Promise.all(sessions.map((s) => s.dispose()));
  sessions = [];
  for (const d of tmp.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function until(what: string, fn: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Decoded {
  width: number;
  height: number;
  data: Uint8Array;
}
const decode = (j: Uint8Array): Decoded => jpeg.decode(j, { useTArray: true, formatAsRGBA: true });

/** Mean luma and mean absolute horizontal luma gradient over a normalised x range (full height). */
function region(img: Decoded, x0: number, x1: number): { mean: number; max: number; gradient: number } {
  const luma = (x: number, y: number) => {
    const i = (y * img.width + x) * 4;
    return 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
  };
  // Stay 3 px inside the region: JPEG blocks smear edges by a pixel or two.
  const from = Math.ceil(x0 * img.width) + 3;
  const to = Math.floor(x1 * img.width) - 4;
  let sum = 0;
  let max = 0;
  let grad = 0;
  let n = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = from; x <= to; x++) {
      const v = luma(x, y);
      sum += v;
      max = Math.max(max, v);
      grad += Math.abs(luma(x + 1, y) - v);
      n++;
    }
  }
  return { mean: sum / n, max, gradient: grad / n };
}

function startSession(masks: PrivacyMask[], withInference: boolean, ffmpegTransport: FfmpegTransportKind): { frames: Array<{ h: FrameHeader; jpeg: Buffer }>; states: CameraState[]; session: CameraSession } {
  const spec: ModelInputSpec = { modelId: 'fake', width: 320, height: 320, colour: 'bgr', letterbox: 'center', padValue: 114 };
  const client: InferenceClient = {
    detect: async (frame) => ({ status: 'ok', seq: frame.seq, detections: [], inferenceMs: 1, modelId: 'fake', detectedAt: Date.now() }),
    close() {},
  };
  const frames: Array<{ h: FrameHeader; jpeg: Buffer }> = [];
  const states: CameraState[] = [];
  const session = new CameraSession(
    {
      id: 'masked',
      name: 'masked',
      source: fixtures.video(CLIP),
      rtspTransport: 'tcp',
      analysisFps: 5,
      enabled: true,
      masks,
      ...(withInference ? { inference: { endpoint: 'fake', spec } } : {}),
    },
    { ...defaultCameraWorkerOptions, ffmpegTransport },
    {
      ffmpegPath: () => resolveFfmpeg().path,
      createInferenceClient: () => client,
      onState: (s) => states.push(s),
      onFrame: (h, j) => frames.push({ h, jpeg: j }),
      onStats() {},
      onFfmpeg() {},
      log() {},
    },
  );
  sessions.push(session);
  session.start();
  return { frames, states, session };
}

describe.each<FfmpegTransportKind>(['pipes', 'sockets'])('privacy masks burned in by ffmpeg (ffmpeg transport: %s)', (transport) => {
  it('blacks out solid masks and blurs blur masks on every display frame, from the first one, with inference on', async () => {
    const masked = startSession([solidLeft, blurMid], true, transport);
    const clear = startSession([], false, transport);
    await until('frames from both sessions', () => masked.frames.length >= 4 && clear.frames.length >= 4);
    for (const f of masked.frames) {
      const img = decode(f.jpeg);
      const solid = region(img, 0, 0.25);
      expect(solid.max).toBeLessThan(24); // black, bar JPEG ringing
      expect(region(img, 0.25, 0.5).mean).toBeGreaterThan(40); // the unmasked picture is still there
    }
    // Blur: the same part of the picture has far less detail than in the unmasked stream.
    const avg = (fr: Array<{ jpeg: Buffer }>, x0: number, x1: number) => fr.slice(0, 4).reduce((s, f) => s + region(decode(f.jpeg), x0, x1).gradient, 0) / 4;
    const blurred = avg(masked.frames, 0.5, 0.75);
    const sharp = avg(clear.frames, 0.5, 0.75);
    expect(sharp).toBeGreaterThan(0.5);
    expect(blurred).toBeLessThan(sharp * 0.5);
    expect(avg(clear.frames, 0, 0.25)).toBeGreaterThan(0.5); // the blacked-out part had a picture to hide
  });

  it('writes snapshots with the mask burned in (the source of every report and export image)', async () => {
    const { frames } = startSession([solidLeft], false, transport);
    await until('a frame', () => frames.length >= 1);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-mask-snap-'));
    tmp.push(dataDir);
    const store = new SnapshotStore({ dataDir, logger: nullLogger });
    const rel = SnapshotStore.relativePath('01JAAAAAAAAAAAAAAAAAAAAAAA', Date.now());
    expect(await store.save(rel, frames[0]!.jpeg, [0.3, 0.3, 0.6, 0.9])).toBe(true);
    const snap = decode(fs.readFileSync(store.resolve(rel)!));
    expect(region(snap, 0, 0.25).max).toBeLessThan(24);
    expect(region(snap, 0.62, 1).mean).toBeGreaterThan(40);
  });

  it('applies changed masks live: ffmpeg restarts, the camera stays online, no frame after the change escapes', async () => {
    const { frames, states, session } = startSession([], false, transport);
    await until('an unmasked frame', () => frames.length >= 2);
    expect(region(decode(frames[0]!.jpeg), 0, 0.25).mean).toBeGreaterThan(40);
    session.setMasks([solidLeft]);
    const from = frames.length;
    await until('frames after the change', () => frames.length >= from + 3);
    for (const f of frames.slice(from)) expect(region(decode(f.jpeg), 0, 0.25).max).toBeLessThan(24);
    session.setMasks([]); // a lift: the picture comes back
    const lifted = frames.length;
    await until('frames after the lift', () => frames.length >= lifted + 2);
    expect(region(decode(frames.at(-1)!.jpeg), 0, 0.25).mean).toBeGreaterThan(40);
    expect(states.map((s) => s.type)).toEqual(['connecting', 'online']);
  });
});
