import type { LineRule, Rule, ZoneRule } from '../../shared/domain/rules';

/** An officer-readable warning about how well a rule can count on this camera. */
export interface QualityWarning {
  /** Stable code: 'line-near-edge' | 'fps-too-low' | 'zone-too-small' | 'tracks-fragmented'. */
  code: string;
  severity: 'info' | 'warning';
  /** Rule concerned (absent for camera-wide warnings). */
  ruleId?: string;
  message: string;
}

/** Everything the guards need besides the rule. */
export interface QualityContext {
  /** Frames analysed per second on this camera. */
  analysisFps: number;
  /**
   * Typical speed of a walking person, in frame heights (normalised units) per second. 0.5 = crossing the whole
   * frame in 2 s, i.e. 0.05 per frame at 10 fps.
   */
  typicalSpeed?: number;
  /** Tracker statistics of this camera over a recent window, when known. */
  tracker?: { tracks: number; trackSeconds: number };
  /** Warn when confirmed tracks live shorter than this on average (s): a sign of ID switches / fragmentation. */
  minMeanTrackSeconds?: number;
  /** Fewer tracks than this: too little data to judge fragmentation. */
  minTracksForStats?: number;
}

/** How close (normalised) an anchor can realistically get to each frame edge. */
const EDGE_MARGIN = {
  'bottom-center': { top: 0.08, bottom: 0.03, left: 0.03, right: 0.03 },
  center: { top: 0.05, bottom: 0.05, left: 0.03, right: 0.03 },
} as const;

type Edge = 'top' | 'bottom' | 'left' | 'right';
const distToEdge = (p: readonly [number, number], e: Edge): number => (e === 'top' ? p[1] : e === 'bottom' ? 1 - p[1] : e === 'left' ? p[0] : 1 - p[0]);
const EDGE_WORDS: Record<Edge, string> = { top: 'top', bottom: 'bottom', left: 'left', right: 'right' };

const name = (r: Rule) => `"${r.name ?? r.id}"`;

/** The whole line hugs a frame edge: the anchor may never get far enough past it to count. */
export function lineNearEdge(rule: LineRule): QualityWarning[] {
  const out: QualityWarning[] = [];
  for (const edge of ['top', 'bottom', 'left', 'right'] as const) {
    const room = Math.max(...rule.points.map((p) => distToEdge(p, edge)));
    const need = EDGE_MARGIN[rule.anchor][edge] + rule.hysteresis;
    if (room < need) {
      out.push({
        code: 'line-near-edge',
        severity: 'warning',
        ruleId: rule.id,
        message: `Line ${name(rule)} runs too close to the ${EDGE_WORDS[edge]} edge of the picture: people may never get far enough past it (${rule.hysteresis.toFixed(2)} beyond the line) to be counted. Move it at least ${Math.ceil((need - room) * 100)}% of the picture further in.`,
      });
    }
  }
  return out;
}

/**
 * At the analysis fps a walking person may not be seen on the far side of the line (beyond its hysteresis band)
 * for the rule's minFrames / minSeconds before leaving the picture.
 */
export function lineFpsTooLow(rule: LineRule, ctx: QualityContext): QualityWarning[] {
  const speed = ctx.typicalSpeed ?? 0.5;
  const fps = ctx.analysisFps;
  let worst: { frames: number; side: 'in' | 'out'; room: number } | null = null;
  for (let i = 0; i + 1 < rule.points.length; i++) {
    const [a, b] = [rule.points[i]!, rule.points[i + 1]!];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len <= 0) continue;
    // "in" normal = drawn direction rotated 90° counter-clockwise on screen (y down): (dy, -dx).
    const n: [number, number] = [(b[1] - a[1]) / len, -(b[0] - a[0]) / len];
    const mid: [number, number] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    for (const side of ['in', 'out'] as const) {
      const d: [number, number] = side === 'in' ? n : [-n[0], -n[1]];
      const room = rayToBorder(mid, d);
      const frames = Math.floor(((room - rule.hysteresis) * fps) / speed);
      if (!worst || frames < worst.frames) worst = { frames, side, room };
    }
  }
  if (!worst) return [];
  const seconds = Math.max(0, (worst.room - rule.hysteresis) / speed);
  if (worst.frames >= rule.minFrames && seconds >= rule.minSeconds) return [];
  const tooFewFrames = worst.frames < rule.minFrames;
  const needFps = Math.ceil((rule.minFrames * speed) / Math.max(1e-3, worst.room - rule.hysteresis));
  return [
    {
      code: 'fps-too-low',
      severity: 'warning',
      ruleId: rule.id,
      message: tooFewFrames
        ? `At ${fps} frames per second a walking person is seen ${timesSeen(worst.frames)} past line ${name(rule)} on its "${worst.side}" side before leaving the picture; the rule needs ${rule.minFrames}. ${needFps <= 30 ? `Raise the analysis rate to about ${needFps} fps or move` : 'Move'} the line further from the edge, or lower its hysteresis.`
        : `A walking person stays past line ${name(rule)} on its "${worst.side}" side for only about ${seconds.toFixed(1)} s before leaving the picture; the rule needs ${rule.minSeconds} s. Move the line further from the edge, or lower its hysteresis or its minimum time.`,
    },
  ];
}

function timesSeen(frames: number): string {
  if (frames <= 0) return 'on no frame';
  return frames === 1 ? 'on only one frame' : `on only about ${frames} frames`;
}

/** A person walking through the zone at typical speed stays inside less than its minSeconds: entries are missed. */
export function zoneTooSmall(rule: ZoneRule, ctx: QualityContext): QualityWarning[] {
  const speed = ctx.typicalSpeed ?? 0.5;
  const xs = rule.points.map((p) => p[0]);
  const ys = rule.points.map((p) => p[1]);
  const extent = Math.min(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const inside = extent / speed;
  const frames = inside * ctx.analysisFps;
  if (inside >= rule.minSeconds && frames >= 2) return [];
  return [
    {
      code: 'zone-too-small',
      severity: 'warning',
      ruleId: rule.id,
      message: `Zone ${name(rule)} is so narrow that a person walking through it is inside for only about ${inside.toFixed(1)} s (${Math.floor(frames)} frame(s)); it needs ${rule.minSeconds} s. Enlarge the zone or lower its minimum time.`,
    },
  ];
}

/** Camera-wide: confirmed tracks are short-lived on average (ID switches or fragmentation inflate counts). */
export function tracksFragmented(ctx: QualityContext): QualityWarning[] {
  const t = ctx.tracker;
  if (!t || t.tracks < (ctx.minTracksForStats ?? 20)) return [];
  const mean = t.trackSeconds / t.tracks;
  const min = ctx.minMeanTrackSeconds ?? 1;
  if (mean >= min) return [];
  return [
    {
      code: 'tracks-fragmented',
      severity: 'warning',
      message: `Objects on this camera keep losing their identity (tracks last ${mean.toFixed(1)} s on average over ${t.tracks} tracks): one person may be counted more than once. Check the lighting and the detector threshold, or raise the analysis rate.`,
    },
  ];
}

/** Every warning for one rule on one camera (disabled rules get none). */
export function ruleQualityWarnings(rule: Rule, ctx: QualityContext): QualityWarning[] {
  if (!rule.enabled) return [];
  const own = rule.type === 'line' ? [...lineNearEdge(rule), ...lineFpsTooLow(rule, ctx)] : zoneTooSmall(rule, ctx);
  return [...own, ...tracksFragmented(ctx)];
}

/** Distance from p along unit direction d to the frame border (0..1 square). */
function rayToBorder(p: readonly [number, number], d: readonly [number, number]): number {
  let t = Infinity;
  for (const k of [0, 1] as const) {
    if (d[k] > 1e-9) t = Math.min(t, (1 - p[k]) / d[k]);
    else if (d[k] < -1e-9) t = Math.min(t, -p[k] / d[k]);
  }
  return Number.isFinite(t) ? Math.max(0, t) : 0;
}
