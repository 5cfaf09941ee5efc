import type { Box } from '../../shared/domain/detection';
import type { MotionSensitivity } from '../../shared/domain/motion-gating';
import { computeLetterbox } from '../inference/letterbox';

/** Motion found in one frame, in normalised source-frame coordinates. */
export interface FrameMotion {
  /** Bounding boxes of the moving regions (after noise filtering). */
  boxes: Box[];
  /** Share of the picture's cells that changed (0..1). */
  fraction: number;
  /** Most of the picture changed at once (lights switched, camera moved): the background is learnt again. */
  global: boolean;
  /** The background model has seen enough frames to judge motion at all. */
  warm: boolean;
}

interface Thresholds {
  /** A cell moves when its change exceeds max(minLevel, k x its own noise level). */
  minLevel: number;
  k: number;
  /** Connected moving cells below this count are noise. */
  minCells: number;
}

const THRESHOLDS: Record<MotionSensitivity, Thresholds> = {
  low: { minLevel: 12, k: 4, minCells: 3 },
  medium: { minLevel: 8, k: 3.5, minCells: 2 },
  high: { minLevel: 5, k: 3, minCells: 1 },
};

/** Cells across the picture: about 48 (a 1080p frame: 40 px cells); small enough to be cheap, large to average noise out. */
const CELLS_ACROSS = 48;
const WARM_FRAMES = 3;
/** More than this share of cells changing at once is a global change, not an object. */
const GLOBAL_SHARE = 0.5;
/** With most cells changed, this share still moving after the median change is taken out is a global change too. */
const GLOBAL_REST_SHARE = 0.2;
const BG_RATE = 0.1;
const BG_RATE_MOVING = 0.01;
const NOISE_RATE = 0.05;
/**
 * A cell that differs from the background but has not changed for this many frames is background that was hidden
 * when it was learnt (the "ghost" a person leaves where they stood) or something that stopped: it is absorbed at
 * once. A person who stops is kept by the tracker (live tracks keep the detector running), not by motion.
 */
const ABSORB_STILL_FRAMES = 10;

/** One view of a frame (the whole frame, or a detection tile) and its background model. */
class ViewMotion {
  private bg: Float32Array | null = null;
  private noise: Float32Array | null = null;
  private prev: Float32Array | null = null;
  /** Frames each cell has stayed the same (within its noise) from one frame to the next. */
  private still: Uint16Array | null = null;
  private frames = 0;
  readonly cols: number;
  readonly rows: number;
  private readonly grey: Float32Array;
  private readonly diff: Float32Array;
  private readonly moving: Uint8Array;

  constructor(
    readonly cell: number,
    readonly content: { x: number; y: number; width: number; height: number },
  ) {
    this.cols = Math.max(1, Math.floor(content.width / cell));
    this.rows = Math.max(1, Math.floor(content.height / cell));
    const n = this.cols * this.rows;
    this.grey = new Float32Array(n);
    this.diff = new Float32Array(n);
    this.moving = new Uint8Array(n);
  }

  /** Mean grey of each cell (every second pixel of every second row: a quarter of the pixels is plenty). */
  private sample(data: Uint8Array, stride: number): void {
    const { cell, cols, rows, content, grey } = this;
    for (let cy = 0; cy < rows; cy++) {
      for (let cx = 0; cx < cols; cx++) {
        let sum = 0;
        let count = 0;
        const x0 = content.x + cx * cell;
        const y0 = content.y + cy * cell;
        for (let y = y0; y < y0 + cell; y += 2) {
          let i = (y * stride + x0) * 3;
          for (let x = 0; x < cell; x += 2, i += 6) {
            sum += data[i]! + 2 * data[i + 1]! + data[i + 2]!;
            count += 4;
          }
        }
        grey[cy * cols + cx] = count ? sum / count : 0;
      }
    }
  }

  update(data: Uint8Array, stride: number, t: Thresholds): { cells: number; total: number; components: Array<[number, number, number, number]>; global: boolean; warm: boolean } {
    this.sample(data, stride);
    const n = this.grey.length;
    if (!this.bg || !this.noise || !this.prev || !this.still) {
      this.bg = Float32Array.from(this.grey);
      this.prev = Float32Array.from(this.grey);
      this.noise = new Float32Array(n).fill(2);
      this.still = new Uint16Array(n);
      this.frames = 1;
      return { cells: 0, total: n, components: [], global: false, warm: false };
    }
    const { bg, noise, grey, diff, moving, prev, still } = this;
    // A change of the whole picture's brightness (auto exposure, flicker) is not motion: judge each cell against the
    // median change of all cells.
    for (let i = 0; i < n; i++) diff[i] = grey[i]! - bg[i]!;
    const offset = median(diff);
    // Global (lights switched, camera moved): most cells moved; or most cells changed and, once the median change
    // is taken out, many still differ (more than half the picture changed: the median IS the change, and the
    // unchanged part looks like motion). A change of brightness alone leaves (almost) nothing once the median is
    // taken out: not global. A global change is relearnt at once.
    let changed = 0;
    let rest = 0;
    for (let i = 0; i < n; i++) {
      const level = Math.max(t.minLevel, t.k * noise[i]!);
      if (Math.abs(diff[i]!) > level) changed += 1;
      if (Math.abs(diff[i]! - offset) > level) rest += 1;
    }
    if (rest > GLOBAL_SHARE * n || (changed > GLOBAL_SHARE * n && rest > GLOBAL_REST_SHARE * n)) {
      bg.set(grey);
      prev.set(grey);
      still.fill(0);
      this.frames += 1;
      return { cells: changed, total: n, components: [], global: true, warm: this.frames > WARM_FRAMES };
    }
    let cells = 0;
    for (let i = 0; i < n; i++) {
      const level = Math.max(t.minLevel, t.k * noise[i]!);
      still[i] = Math.abs(grey[i]! - prev[i]!) <= level ? Math.min(65535, still[i]! + 1) : 0;
      prev[i] = grey[i]!;
      const d = Math.abs(diff[i]! - offset);
      let m = d > level ? 1 : 0;
      if (m && still[i]! >= ABSORB_STILL_FRAMES) {
        bg[i] = grey[i]! - offset;
        m = 0;
      }
      moving[i] = m;
      cells += m;
    }
    for (let i = 0; i < n; i++) {
      const d = Math.abs(diff[i]! - offset);
      if (!moving[i]) noise[i] = Math.min(20, Math.max(1, noise[i]! + NOISE_RATE * (d - noise[i]!)));
      // Something that stops moving joins the background slowly (a parked car after a minute or so).
      bg[i] = bg[i]! + (moving[i] ? BG_RATE_MOVING : BG_RATE) * (grey[i]! - bg[i]!);
    }
    this.frames += 1;
    const warm = this.frames > WARM_FRAMES;
    const components = warm ? this.components(t.minCells) : [];
    return { cells, total: n, components, global: false, warm };
  }

  /** Bounding boxes (in cells) of 4-connected moving regions of at least minCells cells. */
  private components(minCells: number): Array<[number, number, number, number]> {
    const { cols, rows, moving } = this;
    const seen = new Uint8Array(moving.length);
    const out: Array<[number, number, number, number]> = [];
    const stack: number[] = [];
    for (let start = 0; start < moving.length; start++) {
      if (!moving[start] || seen[start]) continue;
      let x1 = cols, y1 = rows, x2 = -1, y2 = -1, size = 0;
      stack.push(start);
      seen[start] = 1;
      while (stack.length) {
        const i = stack.pop()!;
        const x = i % cols;
        const y = (i - x) / cols;
        size += 1;
        if (x < x1) x1 = x;
        if (y < y1) y1 = y;
        if (x > x2) x2 = x;
        if (y > y2) y2 = y;
        const next = [x > 0 ? i - 1 : -1, x < cols - 1 ? i + 1 : -1, y > 0 ? i - cols : -1, y < rows - 1 ? i + cols : -1];
        for (const j of next) {
          if (j >= 0 && moving[j] && !seen[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
      if (size >= minCells) out.push([x1, y1, x2 + 1, y2 + 1]);
    }
    return out;
  }
}

function median(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  return sorted.length ? sorted[sorted.length >> 1]! : 0;
}

export interface MotionInputSpec {
  width: number;
  height: number;
  letterbox: 'center' | 'topleft' | 'stretch';
}

/**
 * A cheap motion detector over the frames the detector would see (model input bytes, packed 3-byte pixels,
 * letterboxed; one input per tile for tiled cameras): no second decode. Per view, a background of cell means with a
 * per-cell noise level; a cell moves when it differs from its background by more than its own noise allows (sensor
 * noise, compression) after the picture's overall brightness change is taken out (flicker, auto exposure); isolated
 * moving cells are dropped. A change of most of the picture is reported as `global` and relearnt.
 */
export class MotionDetector {
  private views: ViewMotion[] = [];
  private key = '';
  private readonly thresholds: Thresholds;

  constructor(sensitivity: MotionSensitivity = 'medium') {
    this.thresholds = THRESHOLDS[sensitivity];
  }

  update(
    data: Uint8Array,
    spec: MotionInputSpec,
    srcWidth: number,
    srcHeight: number,
    tiles?: ReadonlyArray<{ x: number; y: number; width: number; height: number }> | null,
  ): FrameMotion {
    const rects = tiles?.length ? tiles : [{ x: 0, y: 0, width: srcWidth, height: srcHeight }];
    const per = spec.width * spec.height * 3;
    const key = `${spec.width}x${spec.height}:${spec.letterbox}:${srcWidth}x${srcHeight}:${rects.map((r) => `${r.x},${r.y},${r.width},${r.height}`).join(';')}`;
    const layouts = rects.map((r) => computeLetterbox(r.width, r.height, spec));
    if (key !== this.key) {
      this.key = key;
      this.views = layouts.map((lb) => {
        const cell = Math.max(4, Math.round(lb.contentWidth / CELLS_ACROSS));
        return new ViewMotion(cell, { x: lb.padX, y: lb.padY, width: lb.contentWidth, height: lb.contentHeight });
      });
    }
    if (data.length < per * rects.length) return { boxes: [], fraction: 0, global: false, warm: false };
    const boxes: Box[] = [];
    let cells = 0;
    let total = 0;
    let global = false;
    let warm = true;
    this.views.forEach((view, k) => {
      const r = view.update(data.subarray(k * per, (k + 1) * per), spec.width, this.thresholds);
      cells += r.cells;
      total += r.total;
      global ||= r.global;
      warm &&= r.warm;
      const rect = rects[k]!;
      for (const [x1, y1, x2, y2] of r.components) {
        // cells -> fraction of the view -> source pixels -> normalised source coordinates
        // (the last column/row also covers the few pixels the whole cells leave at the edge)
        const fx = (c: number) => (rect.x + (c >= view.cols ? 1 : (c * view.cell) / view.content.width) * rect.width) / srcWidth;
        const fy = (c: number) => (rect.y + (c >= view.rows ? 1 : (c * view.cell) / view.content.height) * rect.height) / srcHeight;
        boxes.push([fx(x1), fy(y1), fx(x2), fy(y2)]);
      }
    });
    return { boxes, fraction: total ? cells / total : 0, global, warm };
  }
}
