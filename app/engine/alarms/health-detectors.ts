import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import type { HealthCondition } from '../../shared/domain/alarms';
import type { CameraState } from '../../shared/domain/camera';
import type { LiveFrame } from '../../shared/domain/detection';

/** A health condition started (raise) or ended (clear) on one camera. */
export interface HealthSignal {
  cameraId: string;
  condition: HealthCondition;
  kind: 'raise' | 'clear';
  /** Officer-readable reason (logged). */
  detail: string;
}

export interface HealthDetectorOptions {
  /** Identical frames for this long while frames arrive = frozen picture (s). */
  frozenAfterS: () => number;
  /** The camera's analysis fps setting. */
  expectedFps: (cameraId: string) => number | undefined;
  /** Analysis fps below this fraction of the setting ... */
  lowFpsRatio?: number;
  /** ... for this long (s) = low fps. */
  lowFpsForS?: number;
  /** Luminance is sampled at most this often per camera (ms, default 5000). */
  lumaEveryMs?: number;
  /** Decodes a JPEG to RGBA (default jpeg-js; tests may inject). */
  decode?: (jpeg: Uint8Array) => { width: number; height: number; data: Uint8Array };
}

interface CamState {
  hash: string | null;
  sameSince: number;
  lowSince: number | null;
  lastLumaAt: number;
  darkSamples: number;
  active: Set<HealthCondition>;
  /** Conditions judged at least once since the engine started. */
  seen: Set<HealthCondition>;
}

/** Mean and standard deviation of luma over a sparse grid (about 40x24 samples), 0..255. */
export function lumaStats(img: { width: number; height: number; data: Uint8Array }): { mean: number; std: number } {
  const sx = Math.max(1, Math.floor(img.width / 40));
  const sy = Math.max(1, Math.floor(img.height / 24));
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (let y = Math.floor(sy / 2); y < img.height; y += sy) {
    for (let x = Math.floor(sx / 2); x < img.width; x += sx) {
      const i = (y * img.width + x) * 4;
      const l = 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
      n++;
      sum += l;
      sq += l * l;
    }
  }
  if (!n) return { mean: 0, std: 0 };
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/** Black lens (dark and flat) or covered lens (flat: almost no detail at any brightness). */
export const isBlackOrCovered = (s: { mean: number; std: number }): boolean => (s.mean < 24 && s.std < 10) || s.std < 3;

/**
 * Camera health conditions from what the engine already has, cheaply:
 *
 * - **offline**: from the camera lifecycle. `reconnecting` or `offline` after the camera was enabled raises it
 *   (ffmpeg exiting, or the frame-gap watchdog killing a stalled one, so within the watchdog gap); `online`
 *   clears it (the recovery). A short `stalled` that comes back by itself raises nothing.
 * - **frozen**: the display JPEG is byte-identical (SHA-1) for `frozenAfterS` while frames keep arriving. The
 *   same encoder given the same decoded picture writes the same bytes, while a live sensor's noise changes
 *   them every frame, so a static but live scene never counts as frozen (a pixel-difference threshold would).
 * - **black / covered lens**: mean and spread of luma over ~1000 pixels of one decoded display JPEG, sampled at
 *   most every `lumaEveryMs` (default 5 s) per camera (a 768x432 decode costs a few ms); two dark/flat samples
 *   in a row raise it, one normal sample clears it.
 * - **low-fps**: the worker's rolling analysis fps below `lowFpsRatio` (default 0.5) of the setting for
 *   `lowFpsForS` (default 30 s) while online; back above 0.8 of it clears it.
 */
export class HealthDetectors {
  private readonly cams = new Map<string, CamState>();
  private readonly lowRatio: number;
  private readonly lowForMs: number;
  private readonly lumaEveryMs: number;
  private readonly decode: (jpeg: Uint8Array) => { width: number; height: number; data: Uint8Array };

  constructor(
    private readonly o: HealthDetectorOptions,
    private readonly emit: (s: HealthSignal) => void,
  ) {
    this.lowRatio = o.lowFpsRatio ?? 0.5;
    this.lowForMs = (o.lowFpsForS ?? 30) * 1000;
    this.lumaEveryMs = o.lumaEveryMs ?? 5000;
    this.decode = o.decode ?? ((j) => jpeg.decode(j, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 64 }));
  }

  private cam(id: string): CamState {
    let c = this.cams.get(id);
    if (!c) {
      c = { hash: null, sameSince: 0, lowSince: null, lastLumaAt: -Infinity, darkSamples: 0, active: new Set(), seen: new Set() };
      this.cams.set(id, c);
    }
    return c;
  }

  private set(id: string, condition: HealthCondition, on: boolean, detail: string): void {
    const c = this.cam(id);
    // The first judgement after a start also reports a clear: an alarm left open by the previous run recovers.
    const first = !c.seen.has(condition);
    c.seen.add(condition);
    if (on === c.active.has(condition) && !(first && !on)) return;
    if (on) c.active.add(condition);
    else c.active.delete(condition);
    this.emit({ cameraId: id, condition, kind: on ? 'raise' : 'clear', detail });
  }

  /** A lifecycle change of one camera. */
  state(id: string, st: CameraState): void {
    if (st.type === 'reconnecting' || st.type === 'offline') this.set(id, 'offline', true, st.reason);
    else if (st.type === 'online') this.set(id, 'offline', false, 'frames again');
    if (st.type !== 'online' && st.type !== 'stalled') {
      // No frames: the picture conditions cannot be judged; forget them silently (offline covers it).
      const c = this.cam(id);
      c.hash = null;
      c.lowSince = null;
      c.darkSamples = 0;
    }
    if (st.type === 'disabled') {
      for (const cond of [...this.cam(id).active]) this.set(id, cond, false, 'camera disabled');
    }
  }

  /** One analysed frame (the engine's frame stream). */
  frame(f: LiveFrame, now: number = f.capturedAt): void {
    const c = this.cam(f.cameraId);
    const hash = createHash('sha1').update(f.jpeg).digest('hex');
    if (hash !== c.hash) {
      c.hash = hash;
      c.sameSince = now;
      this.set(f.cameraId, 'frozen', false, 'picture changes again');
    } else if (now - c.sameSince >= this.o.frozenAfterS() * 1000) {
      this.set(f.cameraId, 'frozen', true, `identical picture for ${Math.round((now - c.sameSince) / 1000)} s`);
    }

    if (now - c.lastLumaAt >= this.lumaEveryMs) {
      c.lastLumaAt = now;
      try {
        const s = lumaStats(this.decode(f.jpeg));
        if (isBlackOrCovered(s)) {
          c.darkSamples++;
          if (c.darkSamples >= 2) this.set(f.cameraId, 'black', true, `mean luma ${s.mean.toFixed(0)}, spread ${s.std.toFixed(1)}`);
        } else {
          c.darkSamples = 0;
          this.set(f.cameraId, 'black', false, 'picture has detail again');
        }
      } catch {
        // An undecodable JPEG says nothing about the lens.
      }
    }

    const want = this.o.expectedFps(f.cameraId);
    const fps = f.stats?.analysisFps;
    if (want && fps !== undefined) {
      if (fps < want * this.lowRatio) {
        c.lowSince ??= now;
        if (now - c.lowSince >= this.lowForMs) this.set(f.cameraId, 'low-fps', true, `${fps.toFixed(1)} fps of ${want}`);
      } else {
        c.lowSince = null;
        if (fps >= want * 0.8) this.set(f.cameraId, 'low-fps', false, `${fps.toFixed(1)} fps`);
      }
    }
  }

  /** Forget a removed camera. */
  forget(id: string): void {
    this.cams.delete(id);
  }
}
