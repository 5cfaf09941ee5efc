import type { ClipScore, SuiteTotals } from '../engine/eval/suite-score';

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

/** `npm run eval -- --suite` JSON (the --out file and the last stdout line; add fields, don't rename). */
export interface SuiteReport {
  suite: string;
  toleranceS: number;
  clips: Array<{
    name: string;
    frames: number;
    fps: number;
    mot: { recall: number; precision: number; mota: number; idf1: number; idSwitches: number } | null;
    lines: Array<{ rule: string; truth: number; counted: number; matched: number; missed: number; spurious: number; missedAt: ClipScore['lines'][number]['missed']; spuriousAt: ClipScore['lines'][number]['spurious'] }>;
    counts: ClipScore['counts'];
    empty: ClipScore['empty'];
    /** Motion-gated runs only: analysed frames the detector ran on. */
    gate?: { detectedFrames: number; frames: number };
  }>;
  total: SuiteTotals;
}

export function suiteReportJson(suite: string, toleranceS: number, clips: readonly ClipScore[], total: SuiteTotals): SuiteReport {
  const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    suite,
    toleranceS,
    clips: clips.map((c) => ({
      name: c.name,
      frames: c.frames,
      fps: Math.round(c.fps * 100) / 100,
      mot: c.mot ? { recall: r4(c.mot.matches / Math.max(1, c.mot.gtBoxes)), precision: r4(c.mot.matches / Math.max(1, c.mot.hypBoxes)), mota: r4(c.mot.mota), idf1: r4(c.mot.idf1), idSwitches: c.mot.idSwitches } : null,
      lines: c.lines.map((l) => ({ rule: l.rule, truth: l.truth, counted: l.counted, matched: l.matched, missed: l.missed.length, spurious: l.spurious.length, missedAt: l.missed, spuriousAt: l.spurious })),
      counts: c.counts,
      empty: c.empty,
      ...(c.gate ? { gate: c.gate } : {}),
    })),
    total: Object.fromEntries(Object.entries(total).map(([k, v]) => [k, r4(v)])) as unknown as SuiteTotals,
  };
}

/** The suite table: per clip and line, then a total row; hand counts and empty-zone windows below. */
export function formatSuiteReport(r: SuiteReport): string {
  const f3 = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(3));
  const head = ['clip', 'line', 'truth', 'matched', 'missed', 'spurious', 'recall', 'precision', 'MOTA', 'IDF1', 'ID sw'];
  const widths = [18, 12, 7, 8, 7, 9, 8, 10, 7, 7, 6];
  const row = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  const out = [`eval suite ${r.suite} (crossings matched by rule and direction within ±${r.toleranceS} s; recall/precision: person boxes)`, '', row(head)];
  const notes: string[] = [];
  for (const c of r.clips) {
    const mot = (cells: string[]) => [...cells, f3(c.mot?.recall), f3(c.mot?.precision), f3(c.mot?.mota), f3(c.mot?.idf1), c.mot ? String(c.mot.idSwitches) : '-'];
    if (!c.lines.length) out.push(row(mot([c.name, '-', '-', '-', '-', '-'])));
    for (const l of c.lines) {
      out.push(row(mot([c.name, l.rule, String(l.truth), String(l.matched), String(l.missed), String(l.spurious)])));
      for (const e of l.missedAt) notes.push(`  ${c.name} ${l.rule}: missed   ${e.dir} at ${e.t} s (ground-truth track ${e.track})`);
      for (const e of l.spuriousAt) notes.push(`  ${c.name} ${l.rule}: spurious ${e.dir} at ${e.t} s (track ${e.track})`);
    }
  }
  const t = r.total;
  out.push(row(['total', '', String(t.truth), String(t.matched), String(t.missed), String(t.spurious), f3(t.recall), f3(t.precision), f3(t.mota), f3(t.idf1), String(t.idSwitches)]));
  out.push('', `crossings: ${t.matched} of ${t.truth} matched (${(100 * t.crossingRecall).toFixed(1)} %), ${t.spurious} spurious (precision ${(100 * t.crossingPrecision).toFixed(1)} %)`);
  const counts = r.clips.flatMap((c) => c.counts.map((k) => ({ clip: c.name, ...k })));
  if (counts.length) {
    out.push('', 'hand counts:');
    for (const k of counts) out.push(`  ${k.clip.padEnd(18)} ${`${k.rule}.${k.counter}`.padEnd(20)} expected ${String(k.expected).padStart(4)}  counted ${String(k.counted).padStart(4)}  ${k.counted === k.expected ? 'ok' : 'WRONG'}`);
  }
  const empty = r.clips.flatMap((c) => c.empty.map((e) => ({ clip: c.name, ...e })));
  if (empty.length) {
    const bad = empty.filter((e) => e.occupiedFrames > 0);
    out.push('', `empty-zone windows: ${empty.length - bad.length} of ${empty.length} held nobody`);
    for (const e of bad) out.push(`  ${e.clip} ${e.rule}: someone counted inside during ${e.window[0]}-${e.window[1]} s (${e.occupiedFrames} frames)`);
  }
  const gated = r.clips.filter((c) => c.gate);
  if (gated.length) {
    out.push('', 'motion-gated detection: the detector ran on');
    for (const c of gated) out.push(`  ${c.name.padEnd(18)} ${String(c.gate!.detectedFrames).padStart(5)} of ${String(c.gate!.frames).padStart(5)} analysed frames (${((100 * c.gate!.detectedFrames) / Math.max(1, c.gate!.frames)).toFixed(1)} %)`);
  }
  if (notes.length) out.push('', ...notes);
  return `${out.join('\n')}\n\n`;
}
