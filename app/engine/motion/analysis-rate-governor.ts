/**
 * Graceful degradation when the detector cannot keep up with every camera (the planning guide's adaptive resource
 * manager). Each tick the engine reports the load (is the inference worker falling behind?) and, per camera, what
 * is at stake; the governor lowers or raises ONE camera's analysis rate by one step per tick, with a cool-down,
 * so the system settles instead of oscillating:
 *
 *   overloaded  -> lower the camera that matters least, above its floor, by one step (cameras without live tracks
 *                  first, then cameras without rules, then tracks away from the rules; tracks near a counting line
 *                  or in a zone last); among equals the one that kept the most of its rate
 *   headroom    -> after `recoverAfterTicks` calm ticks in a row, raise the camera that matters most by one step
 *   in between  -> hold
 *
 * A camera never goes below its floor; cameras with tracks near a counting line keep their rate as long as any other
 * camera can still give some up. When every camera is at its floor and the detector still falls behind, the cameras
 * with rules are reported `starved` (the engine raises a system alarm and says so on the Health page).
 */
export interface GovernedCamera {
  id: string;
  /** The rate the camera is configured for (analysis fps). */
  targetFps: number;
  /** Never reduce below this (default: min(2, target)). */
  floorFps?: number;
  hasRules: boolean;
  /** Live tracks of things that moved. */
  liveTracks: number;
  /** Some live track is near a counting line or inside a zone. */
  tracksNearRules: boolean;
}

export interface LoadSample {
  /** The detector is falling behind: frames dropped or the oldest queued frame older than the camera's interval. */
  overloaded: boolean;
  /** Clearly below capacity (for example the queue empty most of the tick and no frame dropped). */
  headroom: boolean;
}

export interface RateChange {
  cameraId: string;
  fromFps: number;
  toFps: number;
  reason: 'load' | 'recovered';
}

export interface GovernorState {
  /** Current analysis rate per camera. */
  rates: ReadonlyMap<string, number>;
  /** Cameras with rules the governor would have to take below their floor to relieve the load. */
  starved: readonly string[];
}

export interface AnalysisRateGovernorOptions {
  /** Multiplicative step (default 0.75: 10 -> 7.5 -> 5.6 ...). */
  step?: number;
  /** Calm ticks in a row before raising one camera (hysteresis; default 5). */
  recoverAfterTicks?: number;
  /** Ticks to wait after any change before the next lowering (default 1: lower at most every other tick). */
  cooldownTicks?: number;
}

const round = (v: number): number => Math.round(v * 10) / 10;

export class AnalysisRateGovernor {
  private readonly rates = new Map<string, number>();
  private calm = 0;
  private cooldown = 0;
  private starved: string[] = [];
  private readonly step: number;
  private readonly recoverAfter: number;
  private readonly cooldownTicks: number;

  constructor(options: AnalysisRateGovernorOptions = {}) {
    this.step = options.step ?? 0.75;
    this.recoverAfter = options.recoverAfterTicks ?? 5;
    this.cooldownTicks = options.cooldownTicks ?? 1;
  }

  /** One tick: returns the changes to apply (at most one). */
  tick(cameras: readonly GovernedCamera[], load: LoadSample): RateChange[] {
    const ids = new Set(cameras.map((c) => c.id));
    for (const id of [...this.rates.keys()]) if (!ids.has(id)) this.rates.delete(id);
    for (const c of cameras) {
      const r = this.rates.get(c.id);
      // a new camera, or one whose configured rate went down below what it was given
      if (r === undefined || r > c.targetFps) this.rates.set(c.id, c.targetFps);
    }
    this.starved = [];
    if (this.cooldown > 0) this.cooldown -= 1;
    if (load.overloaded) {
      this.calm = 0;
      if (this.cooldown > 0) return [];
      const victim = [...cameras].sort((a, b) => priority(a) - priority(b) || this.rate(b) / b.targetFps - this.rate(a) / a.targetFps).find((c) => this.rate(c) > floorOf(c) + 1e-9);
      if (!victim) {
        this.starved = cameras.filter((c) => c.hasRules).map((c) => c.id);
        return [];
      }
      // Cameras that matter most give up their rate only when nothing else can.
      const from = this.rate(victim);
      const to = Math.max(floorOf(victim), round(from * this.step));
      this.rates.set(victim.id, to);
      this.cooldown = this.cooldownTicks + 1;
      return [{ cameraId: victim.id, fromFps: from, toFps: to, reason: 'load' }];
    }
    if (!load.headroom) {
      this.calm = 0;
      return [];
    }
    this.calm += 1;
    if (this.calm < this.recoverAfter) return [];
    const lucky = [...cameras].sort((a, b) => priority(b) - priority(a)).find((c) => this.rate(c) < c.targetFps - 1e-9);
    if (!lucky) return [];
    this.calm = 0;
    const from = this.rate(lucky);
    const to = Math.min(lucky.targetFps, round(from / this.step));
    this.rates.set(lucky.id, to);
    return [{ cameraId: lucky.id, fromFps: from, toFps: to, reason: 'recovered' }];
  }

  rate(camera: { id: string; targetFps: number }): number {
    return this.rates.get(camera.id) ?? camera.targetFps;
  }

  state(): GovernorState {
    return { rates: new Map(this.rates), starved: [...this.starved] };
  }
}

const floorOf = (c: GovernedCamera): number => Math.min(c.targetFps, c.floorFps ?? 2);

/** Higher = keeps its rate longer: cameras without live tracks give first, then cameras without rules. */
function priority(c: GovernedCamera): number {
  if (c.liveTracks > 0 && c.tracksNearRules) return 4;
  if (c.liveTracks > 0) return c.hasRules ? 3 : 2;
  return c.hasRules ? 1 : 0;
}
