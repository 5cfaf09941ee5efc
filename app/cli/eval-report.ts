/** Result of `npm run eval` (the JSON line; field names are a public interface: add, don't rename). */
export interface EvalReport {
  source: string;
  /** Analysed (decoded) frames. */
  frames: number;
  /** Frame rate used for stream times (the source's). */
  fps: number;
  mot: {
    mota: number;
    idf1: number;
    idSwitches: number;
    /** Matched hypothesis boxes / all hypothesis boxes. */
    precision: number;
    /** Matched ground-truth boxes / all ground-truth boxes. */
    recall: number;
    falsePositives: number;
    falseNegatives: number;
    /** Mean IoU of matched pairs. */
    motp: number;
    /** Distinct ground-truth ids. */
    gtTracks: number;
    /** Distinct confirmed track ids. */
    tracks: number;
    gtBoxes: number;
    hypBoxes: number;
  };
  /** Per line rule id: counted vs ground-truth crossings, matched one to one within ±toleranceS. */
  crossings: Record<string, {
    counted: { in: number; out: number };
    truth: { in: number; out: number };
    matched: number;
    missed: Array<{ dir: string; t: number; track: number }>;
    spurious: Array<{ dir: string; t: number; track: number }>;
  }>;
  /** Crossing match tolerance, seconds. */
  toleranceS: number;
}

const pad = (s: string, n: number) => s.padEnd(n);

/** Human-readable table of an EvalReport. */
export function formatEvalReport(r: EvalReport): string {
  const m = r.mot;
  const lines = [
    `eval ${r.source}: ${r.frames} frames at ${r.fps} fps`,
    '',
    `${pad('MOTA', 14)}${m.mota.toFixed(3)}`,
    `${pad('IDF1', 14)}${m.idf1.toFixed(3)}`,
    `${pad('ID switches', 14)}${m.idSwitches}`,
    `${pad('precision', 14)}${m.precision.toFixed(3)}`,
    `${pad('recall', 14)}${m.recall.toFixed(3)}`,
    `${pad('FP / FN', 14)}${m.falsePositives} / ${m.falseNegatives}`,
    `${pad('MOTP (IoU)', 14)}${m.motp.toFixed(3)}`,
    `${pad('tracks', 14)}${m.tracks} (ground truth ${m.gtTracks})`,
  ];
  const ids = Object.keys(r.crossings);
  if (ids.length) {
    lines.push('', `line crossings (same direction, within ±${r.toleranceS} s):`);
    lines.push(`${pad('rule', 12)}${pad('counted in/out', 16)}${pad('truth in/out', 14)}${pad('matched', 9)}${pad('missed', 8)}spurious`);
    for (const id of ids) {
      const c = r.crossings[id]!;
      lines.push(`${pad(id, 12)}${pad(`${c.counted.in}/${c.counted.out}`, 16)}${pad(`${c.truth.in}/${c.truth.out}`, 14)}${pad(String(c.matched), 9)}${pad(String(c.missed.length), 8)}${c.spurious.length}`);
      for (const e of c.missed) lines.push(`  missed   ${e.dir} at ${e.t} s (gt track ${e.track})`);
      for (const e of c.spurious) lines.push(`  spurious ${e.dir} at ${e.t} s (track ${e.track})`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}
