import type { Box } from '../../shared/domain/detection';

/** One confirmed, measured (not predicted) track observation fed to the rules engine. */
export interface RuleTrackInput {
  /** Confirmed track id, unique per camera. */
  id: number;
  cls: string;
  score: number;
  box: Box;
  /** Flagged by the tracker as never moving (kept out of counts unless its lineage moved). */
  stationary?: boolean;
  /** The track has moved since it appeared. */
  moved?: boolean;
  /** Centre velocity (normalised units per second), helps re-association across a track break. */
  velocity?: readonly [number, number];
  /**
   * Where and when the track was first seen (before confirmation). A new track that inherits nothing starts its
   * line sides from there, so the confirmation delay does not hide a crossing made while it was tentative.
   */
  first?: { t: number; box: Box };
}

/** Tuning of the rules engine itself (not per rule). */
export interface RulesEngineConfig {
  /**
   * A track that vanished is remembered this long (s). A new track born near where it vanished within this
   * time inherits its sides, zone memberships and counted directions (side memory across a track break).
   * Zone members stay counted through such a gap.
   */
  reassociateSeconds: number;
  /**
   * A vanished track still counts as inside its zones this long (s) — through a short occlusion — then exits
   * (if it is re-associated later its successor enters again).
   */
  zoneGraceSeconds: number;
  /**
   * A vanished track last seen cut by a frame border and moving out across it has left the frame: it leaves
   * its zones after this long (s) instead of zoneGraceSeconds, so occupancy falls to 0 as the person walks out.
   */
  leftFrameSeconds: number;
  /**
   * Re-association gate: distance from the vanished track's extrapolated centre to the newborn's first centre,
   * in the vanished box's mean size ((w + h) / 2).
   */
  reassociateGate: number;
  /** A line's ends are lengthened by this much (normalised) when testing where a path crossed it. */
  lineEndTolerance: number;
  /** A line end this close to the frame border is treated as running on past the border. */
  edgeSnap: number;
  /**
   * A new track whose first box comes this close to a frame border (detectors stop a little short of it) is
   * taken to have come in across that border: its line sides start from the border point. 0 disables it.
   */
  edgeEntryMargin: number;
}

export const DEFAULT_RULES_ENGINE_CONFIG: RulesEngineConfig = {
  reassociateSeconds: 2,
  zoneGraceSeconds: 1,
  leftFrameSeconds: 0.3,
  reassociateGate: 1,
  lineEndTolerance: 0.03,
  edgeSnap: 0.01,
  edgeEntryMargin: 0.03,
};
