import type { AnalyticsEvent, RuleCounters, ZoneCounter } from '../../shared/domain/analytics';
import type { Rule } from '../../shared/domain/rules';
import type { Box } from '../../shared/domain/detection';
import { boxCenter } from '../../shared/geometry/box';
import { type LineBounce, LineRuleEvaluator, type LineTrackState, newLineTrackState } from './line-rule';
import { DEFAULT_RULES_ENGINE_CONFIG, type RuleTrackInput, type RulesEngineConfig } from './rule-input';
import { newZoneTrackState, ZoneRuleEvaluator, type ZoneTrackState } from './zone-rule';

/**
 * A track seen for less than this long (s) has no direction yet: its first boxes are those of a person stepping
 * out from behind something, growing as more of them comes into view, and the velocity they give is mostly that
 * growth (measured: a person emerging from behind a post read as moving up and back, against their walk).
 */
const YOUNG_SECONDS = 0.5;

/** Everything the engine remembers about one object (a chain of track ids joined across breaks). */
interface TrackMemory {
  /** Current track id. */
  track: number;
  cls: string;
  last: RuleTrackInput;
  lastSeen: number;
  /** The object moved at some point (so a stationary flag on a successor fragment is ignored). */
  moved: boolean;
  lines: Map<string, LineTrackState>;
  zones: Map<string, ZoneTrackState>;
  /**
   * Set while the memory is a newborn's own (nothing inherited, no carrier) and it has counted nothing: when it
   * was first seen and where. A track vanishing soon after may still hand it its memory (see handOverLate).
   */
  fresh: { t: number; box: Box } | null;
}

/** A newborn first seen at most this long (s) before a track vanished ahead of it may be that track's successor. */
const LATE_SECONDS = 1;
/** ... no further from where the track was last seen than this many of its box heights (true proportions). */
const LATE_REACH = 0.5;

/** Where and how a track was last seen: its box, size, mean size (w + h) / 2, velocity, speed and a walking pace. */
function lastSight(mem: TrackMemory) {
  const box = mem.last.box;
  const w = Math.max(box[2] - box[0], 0.01);
  const h = Math.max(box[3] - box[1], 0.01);
  const scale = (w + h) / 2;
  const [vx, vy] = mem.last.velocity ?? [0, 0];
  const [cx, cy] = boxCenter(box);
  return { box, w, h, scale, vx, vy, speed: Math.hypot(vx, vy), slow: 0.1 * scale, cx, cy };
}

/** Whether a box touches the top or the bottom of the frame (within `margin`). */
function cutTopOrBottom(b: readonly number[], margin: number): boolean {
  return b[1]! <= margin || b[3]! >= 1 - margin;
}

export interface RulesUpdate {
  events: AnalyticsEvent[];
  counters: RuleCounters;
}

/**
 * Rules engine for one camera: fed with confirmed, measured track observations and a timestamp per frame, it
 * counts line crossings and tracks zone membership. Side and zone memory survive a track break: a new track
 * born near where a track vanished (within reassociateSeconds) inherits its memory; otherwise a newborn's side
 * is unknown until it settles, so a track born on the far side never counts.
 */
export class RulesEngine {
  private readonly cfg: RulesEngineConfig;
  private lines: LineRuleEvaluator[] = [];
  private zones: ZoneRuleEvaluator[] = [];
  private rulesJson = new Map<string, string>();
  private counters: RuleCounters = {};
  private memories = new Map<number, TrackMemory>();
  /** Track ids whose memory was forgotten or handed to a successor, with when (bounded). */
  private retired = new Map<number, number>();
  /** The memory each retired track handed to a successor (same bound as `retired`). */
  private handedOver = new Map<number, TrackMemory>();
  /** Time of the previous update. */
  private lastT = -Infinity;
  /** The frame's width over its height: distances in true proportions where it matters (handOverLate). */
  private aspect = 1;
  /** Recent bounces waiting for their mirror image (see pairBounce). */
  private bounces: LineBounce[] = [];

  constructor(rules: readonly Rule[] = [], config: Partial<RulesEngineConfig> = {}) {
    this.cfg = { ...DEFAULT_RULES_ENGINE_CONFIG, ...config };
    this.setRules(rules);
  }

  /**
   * Replaces the rules while running; tracks and their memory are kept. A rule whose definition is unchanged
   * keeps its state and counters; a changed or new rule starts afresh (sides unknown until they settle).
   */
  setRules(rules: readonly Rule[]): void {
    const next = new Map(rules.map((r) => [r.id, JSON.stringify(r)]));
    const counters: RuleCounters = {};
    for (const r of rules) {
      const same = this.rulesJson.get(r.id) === next.get(r.id);
      const old = this.counters[r.id];
      if (same && old) counters[r.id] = old;
      else {
        counters[r.id] = r.type === 'line' ? { kind: 'line', in: 0, out: 0 } : { kind: 'zone', enter: 0, exit: 0, occupancy: 0, maxOccupancy: 0 };
        for (const m of this.memories.values()) {
          m.lines.delete(r.id);
          m.zones.delete(r.id);
        }
      }
    }
    for (const m of this.memories.values()) {
      for (const id of m.lines.keys()) if (!next.has(id)) m.lines.delete(id);
      for (const id of m.zones.keys()) if (!next.has(id)) m.zones.delete(id);
    }
    const keptZones = new Map(this.zones.map((z) => [z.rule.id, z]));
    this.lines = rules.filter((r) => r.type === 'line').map((r) => new LineRuleEvaluator(r, this.cfg));
    this.zones = rules
      .filter((r) => r.type === 'zone')
      .map((r) => {
        const kept = keptZones.get(r.id);
        return kept && this.rulesJson.get(r.id) === next.get(r.id) ? kept : new ZoneRuleEvaluator(r, counters[r.id] as ZoneCounter);
      });
    this.rulesJson = next;
    this.counters = counters;
  }

  /** Current counters per rule id (a copy). */
  getCounters(): RuleCounters {
    return structuredClone(this.counters);
  }

  /**
   * One frame: `tracks` are the confirmed tracks MEASURED in this frame (not predictions), `t` stream seconds,
   * `wallMs` wall-clock time for schedules (defaults to now).
   */
  update(tracks: readonly RuleTrackInput[], t: number, wallMs: number = Date.now()): RulesUpdate {
    const events: AnalyticsEvent[] = [];
    const emit = (e: AnalyticsEvent) => events.push(e);
    const seenNow = new Set<number>();
    const born: RuleTrackInput[] = [];
    for (const obs of tracks) {
      seenNow.add(obs.id);
      if (!this.memories.has(obs.id)) born.push(obs);
    }
    this.reclaim(born, seenNow, t);
    this.reassociate(born.filter((o) => !this.memories.has(o.id)), seenNow, t);
    for (const obs of tracks) {
      let mem = this.memories.get(obs.id);
      if (!mem) {
        mem = { track: obs.id, cls: obs.cls, last: obs, lastSeen: t, moved: false, lines: new Map(), zones: new Map(), fresh: null };
        this.memories.set(obs.id, mem);
        // A brand-new track starts its sides from where it was first seen; a track id that comes back after
        // its memory was retired (forgotten, or inherited by a successor) starts from here, or it could count
        // a crossing made long ago a second time.
        if (obs.first && obs.first.t <= t && !this.retired.has(obs.id)) {
          const first = { ...obs, box: obs.first.box };
          const carrier = this.carrierOf(obs.id, first, seenNow);
          if (!carrier) mem.fresh = { t: obs.first.t, box: obs.first.box };
          for (const line of this.lines) {
            if (!line.applies(obs.cls)) continue;
            const st = newLineTrackState();
            line.observeBirth(st, first, obs.first.t);
            const from = carrier?.lines.get(line.rule.id);
            if (from) line.emergeFrom(st, first, from, t);
            mem.lines.set(line.rule.id, st);
          }
          for (const zone of this.zones) {
            if (!zone.applies(obs.cls)) continue;
            const st = newZoneTrackState();
            zone.observeBirth(st, first, obs.first.t);
            mem.zones.set(zone.rule.id, st);
          }
        }
      }
      // Inputs that carry no motion flag (stored tracks, ground truth) are taken as having moved.
      mem.moved ||= obs.moved !== false;
      const counted = !(obs.stationary === true && !mem.moved);
      for (const line of this.lines) {
        if (!line.applies(obs.cls)) continue;
        let st = mem.lines.get(line.rule.id);
        if (!st) mem.lines.set(line.rule.id, (st = newLineTrackState()));
        if (!counted) continue;
        const r = line.observe(st, obs, t);
        const crossings = !r ? [] : 'type' in r ? [r] : this.pairBounce(line, r, t);
        for (const ev of crossings) {
          mem.fresh = null;
          const c = this.counters[line.rule.id];
          if (c?.kind === 'line') c[ev.dir] += 1;
          emit(ev);
        }
      }
      for (const zone of this.zones) {
        let st = mem.zones.get(zone.rule.id);
        if (!st) mem.zones.set(zone.rule.id, (st = newZoneTrackState()));
        // Only something that has moved since it was first seen is counted inside a zone: a sign or a parked
        // vehicle detected from the start never holds occupancy, not even before the stationary flag (20 s).
        // Its entry stays pending (dated from when it was first seen) until it moves.
        zone.observe(st, obs, t, wallMs, emit, counted && zone.applies(obs.cls), mem.moved);
      }
      mem.last = obs;
      mem.lastSeen = t;
    }
    this.handOverLate(seenNow, t);
    this.lastT = t;
    // Forget objects gone for too long: they leave their zones now.
    for (const [id, mem] of this.memories) {
      if (seenNow.has(id)) continue;
      const gone = t - mem.lastSeen;
      if (gone > this.cfg.zoneGraceSeconds || gone > this.cfg.reassociateSeconds || (gone > this.cfg.leftFrameSeconds && this.walkedOut(mem))) {
        for (const zone of this.zones) {
          const st = mem.zones.get(zone.rule.id);
          if (st) zone.leave(st, mem.last, t, emit);
        }
      }
      if (gone > this.cfg.reassociateSeconds) {
        this.memories.delete(id);
        this.retire(id, t);
      }
    }
    for (const zone of this.zones) {
      let occupancy = 0;
      let last: RuleTrackInput | null = null;
      for (const mem of this.memories.values()) {
        if (mem.zones.get(zone.rule.id)?.inside) {
          occupancy += 1;
          if (!last || mem.lastSeen >= t) last = mem.last;
        }
      }
      zone.finishFrame(occupancy, t, last, emit);
    }
    return { events, counters: this.getCounters() };
  }

  /** Sets the frame's width over its height; ignored unless finite and above 0. */
  setFrameAspect(aspect: number): void {
    if (Number.isFinite(aspect) && aspect > 0) this.aspect = aspect;
  }

  /** Forgets every track memory (counters stay). */
  resetTracks(): void {
    this.memories.clear();
    this.retired.clear();
    this.handedOver.clear();
    this.bounces = [];
  }

  /**
   * Two tracks that came up to a line from opposite sides and each went back where it came from, at the same
   * place within a second, are two people who passed each other while the tracker swapped their identities
   * (each track followed one person up to the line and the other one away from it): both crossings count, one
   * each way. A lone bounce is a U-turn and counts nothing. Tracks must have come from well clear of the line
   * and gone well clear again, so two people standing or chatting either side of the line never pair.
   */
  private pairBounce(line: LineRuleEvaluator, b: LineBounce, t: number): ReturnType<LineRuleEvaluator['crossingFor']>[] {
    this.bounces = this.bounces.filter((q) => t - q.at <= 3);
    const i = this.bounces.findIndex((q) =>
      q.rule === b.rule && q.track !== b.track && q.from === -b.from && Math.abs(q.at - b.at) <= 1 &&
      Math.hypot(q.point[0] - b.point[0], q.point[1] - b.point[1]) <= Math.max(q.size, b.size));
    if (i < 0) {
      this.bounces.push(b);
      return [];
    }
    const [q] = this.bounces.splice(i, 1);
    return [line.crossingFor(q!), line.crossingFor(b)];
  }

  /**
   * The live track a newborn may have stepped out of (a group the detector saw as one box until they drew apart,
   * LineRuleEvaluator.emergeFrom): one seen in this frame, of its class, at the same depth (heights within 1.5x,
   * feet within a third of a height) whose box overlaps the newborn's first box across at least a third of the
   * narrower width. The most overlapping one.
   */
  private carrierOf(id: number, first: RuleTrackInput, seenNow: ReadonlySet<number>): TrackMemory | null {
    const f = first.box;
    const m = this.cfg.edgeEntryMargin;
    const hf = f[3] - f[1];
    const wf = f[2] - f[0];
    let best: TrackMemory | null = null;
    let bestOverlap = 0;
    for (const mem of this.memories.values()) {
      if (mem.track === id || !seenNow.has(mem.track) || mem.cls !== first.cls) continue;
      const b = mem.last.box;
      const h = b[3] - b[1];
      // A box cut by the top or bottom of the frame has neither the person's height nor their feet: no depth.
      if (cutTopOrBottom(b, m) || cutTopOrBottom(f, m)) continue;
      if (hf > 1.5 * h || h > 1.5 * hf || Math.abs(b[3] - f[3]) > h / 3) continue;
      const overlap = (Math.min(b[2], f[2]) - Math.max(b[0], f[0])) / Math.min(wf, b[2] - b[0]);
      if (overlap >= 1 / 3 && overlap > bestOverlap) {
        best = mem;
        bestOverlap = overlap;
      }
    }
    return best;
  }

  /** A track last seen cut by a frame border while moving towards it (faster than `slow`) has left the frame. */
  private leftTheFrame(b: readonly number[], vx: number, vy: number, slow: number): boolean {
    const m = this.cfg.edgeEntryMargin;
    return (b[0]! <= m && vx < -slow) || (b[2]! >= 1 - m && vx > slow) || (b[1]! <= m && vy < -slow) || (b[3]! >= 1 - m && vy > slow);
  }

  /** The object was last seen cut by a frame border while moving out across it: it has left, not hidden. */
  private walkedOut(mem: TrackMemory): boolean {
    const b = mem.last.box;
    const [vx, vy] = mem.last.velocity ?? [0, 0];
    return this.leftTheFrame(b, vx, vy, 0.1 * Math.max((b[2] - b[0] + b[3] - b[1]) / 2, 0.01));
  }

  private retire(id: number, t: number, handedTo?: TrackMemory): void {
    this.retired.set(id, t);
    if (handedTo) this.handedOver.set(id, handedTo);
    else this.handedOver.delete(id);
    if (this.retired.size > 4096) {
      for (const [k, at] of this.retired) {
        if (t - at <= 600 && this.retired.size <= 4096) continue;
        this.retired.delete(k);
        this.handedOver.delete(k);
      }
    }
  }

  /**
   * A track the tracker re-found after its memory had been handed to a successor takes it back when that successor
   * is not in view: the tracker matched it by motion and looks, which is better evidence of who it is than the
   * successor's place of birth (a group crossing together: a stranger born ahead of a hidden person inherits their
   * side, vanishes again, and the person comes back out on the far side). The memory is one object, so a crossing
   * the successor already counted is not counted again, and one it never finished is counted once, now.
   */
  private reclaim(born: readonly RuleTrackInput[], seenNow: ReadonlySet<number>, t: number): void {
    for (const obs of born) {
      const mem = this.handedOver.get(obs.id);
      if (!mem || seenNow.has(mem.track) || this.memories.get(mem.track) !== mem || mem.cls !== obs.cls) continue;
      this.memories.delete(mem.track);
      this.retire(mem.track, t);
      this.retired.delete(obs.id);
      this.handedOver.delete(obs.id);
      mem.track = obs.id;
      mem.fresh = null;
      this.memories.set(obs.id, mem);
    }
  }

  /**
   * Side memory across a track break, the other way round: a person walking behind a post is often seen on both
   * sides of it at once for a moment (the part still in view on the near side, and the part already out on the far
   * side, a new track), so the new track is born before the old one vanishes and `reassociate` never pairs them.
   * A track that vanished in this frame (it was moving, not out of the frame) hands its memory to a newborn of its
   * class that still has its own fresh memory (nothing inherited, no carrier, nothing counted, in no zone), first
   * seen at most LATE_SECONDS before it vanished: beyond its box's leading edge (out past the post, not a second box
   * on the same person), within LATE_REACH of its box heights in true proportions (right beside it: they were seen
   * together), of a plausible size, and not walking back along the axis it mostly moved on. The newborn's path then
   * runs on from where the old track was last seen, so the crossing the pair made is counted once, when the newborn
   * settles. Someone else stepping out ahead while walking the other way keeps their own memory.
   */
  private handOverLate(seenNow: ReadonlySet<number>, t: number): void {
    const fresh = [...this.memories.values()].filter((m) => m.fresh && seenNow.has(m.track) && t - m.fresh.t <= LATE_SECONDS && ![...m.zones.values()].some((z) => z.inside || z.pending !== null));
    if (!fresh.length) return;
    const pairs: Array<{ mem: TrackMemory; heir: TrackMemory; cost: number }> = [];
    for (const mem of this.memories.values()) {
      if (seenNow.has(mem.track) || mem.lastSeen !== this.lastT) continue;
      const { box: lb, h, scale, vx, vy, speed, slow, cx: lx, cy: ly } = lastSight(mem);
      if (speed <= slow || this.leftTheFrame(lb, vx, vy, slow)) continue;
      for (const heir of fresh) {
        if (heir.cls !== mem.cls || heir.fresh!.t > mem.lastSeen || mem.lastSeen - heir.fresh!.t > LATE_SECONDS) continue;
        const fb = heir.fresh!.box;
        const hb = fb[3] - fb[1];
        if (hb > 2.5 * h || h > 2.5 * hb) continue;
        // It walks the way the old track walked, along the axis the old track mostly moved on (or stands, stepping
        // out from behind the post): across that axis a young box's velocity is mostly its growth as more of the
        // person comes into view.
        const [ux, uy] = heir.last.velocity ?? [0, 0];
        const acrossX = Math.abs(vx) * this.aspect >= Math.abs(vy);
        const along = acrossX ? ux * Math.sign(vx) : uy * Math.sign(vy);
        if (along < -0.1 * scale) continue;
        // First seen beyond the old box's leading edge: out past the post, not a second box on the same person.
        const [cx, cy] = boxCenter(fb);
        const beyond = acrossX ? (vx > 0 ? cx > lb[2] : cx < lb[0]) : vy > 0 ? cy > lb[3] : cy < lb[1];
        if (!beyond) continue;
        // Seen at the same time as the old track, so right beside it: within half its height, in true proportions.
        const dist = Math.hypot((cx - lx) * this.aspect, cy - ly) / h;
        if (dist <= LATE_REACH) pairs.push({ mem, heir, cost: dist });
      }
    }
    pairs.sort((a, b) => a.cost - b.cost);
    const used = new Set<TrackMemory>();
    for (const { mem, heir } of pairs) {
      if (used.has(mem) || used.has(heir)) continue;
      used.add(mem);
      used.add(heir);
      this.memories.delete(mem.track);
      this.retire(mem.track, t, mem);
      mem.track = heir.track;
      mem.fresh = null;
      mem.last = heir.last;
      mem.lastSeen = heir.lastSeen;
      this.memories.set(heir.track, mem);
    }
  }

  /**
   * Side memory across a track break: each newborn track may take over the memory of one track of the same class
   * that vanished recently close to where it now appears (nearest first, one-to-one).
   */
  private reassociate(born: RuleTrackInput[], seenNow: Set<number>, t: number): void {
    if (!born.length) return;
    const pairs: Array<{ obs: RuleTrackInput; mem: TrackMemory; cost: number }> = [];
    for (const mem of this.memories.values()) {
      if (seenNow.has(mem.track)) continue;
      const gone = t - mem.lastSeen;
      if (gone <= 0 || gone > this.cfg.reassociateSeconds) continue;
      const { box: lb, w, h, scale, vx, vy, speed, slow, cx: lx, cy: ly } = lastSight(mem);
      if (this.leftTheFrame(lb, vx, vy, slow)) continue;
      for (const obs of born) {
        if (obs.cls !== mem.cls) continue;
        // Compare where the newborn was first seen (if that was after the predecessor vanished) with where the
        // predecessor would have got to by then.
        const early = obs.first && obs.first.t > mem.lastSeen ? obs.first : { t, box: obs.box };
        const dt = early.t - mem.lastSeen;
        const [cx, cy] = boxCenter(early.box);
        const hb = early.box[3] - early.box[1];
        if (hb > 2.5 * h || h > 2.5 * hb) continue;
        // Someone walking the other way is someone else.
        const [ux, uy] = obs.velocity ?? [0, 0];
        const young = obs.first !== undefined && t - obs.first.t < YOUNG_SECONDS;
        if (!young && speed > slow && Math.hypot(ux, uy) > slow && vx * ux + vy * uy < -0.5 * speed * Math.hypot(ux, uy)) continue;
        // Someone who walked behind something comes out ahead of where they vanished, not behind.
        if (speed > slow && ((cx - lx) * vx + (cy - ly) * vy) / speed < -0.5 * w) continue;
        // Extrapolate at most two box sizes: velocity estimates before a break are noisy.
        const lim = 2 * scale;
        const ex = Math.max(-lim, Math.min(lim, vx * dt));
        const ey = Math.max(-lim, Math.min(lim, vy * dt));
        const dist = Math.hypot(cx - lx - ex, cy - ly - ey) / scale;
        if (dist <= this.cfg.reassociateGate) pairs.push({ obs, mem, cost: dist + 0.2 * gone });
      }
    }
    pairs.sort((a, b) => a.cost - b.cost);
    const taken = new Set<number>();
    const inherited = new Set<TrackMemory>();
    for (const { obs, mem } of pairs) {
      if (taken.has(obs.id) || inherited.has(mem)) continue;
      taken.add(obs.id);
      inherited.add(mem);
      this.memories.delete(mem.track);
      this.retire(mem.track, t, mem);
      mem.track = obs.id;
      mem.fresh = null;
      this.memories.set(obs.id, mem);
    }
  }
}
