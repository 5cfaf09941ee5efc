import type { SuiteReport } from './eval-report';

/**
 * The counting figures of one `npm run eval -- --suite` scoring (bench --scale prints them for gating off and on, from
 * the same analysis of the ground-truth clips): crossings per clip and line against the ground truth, and the hand
 * counts of the clips without one.
 */
export interface CountingFigures {
  suite: string;
  lines: Array<{ clip: string; rule: string; truth: number; matched: number; missed: number; spurious: number }>;
  counts: Array<{ clip: string; rule: string; counter: string; expected: number; counted: number }>;
  total: { truth: number; matched: number; missed: number; spurious: number };
  /** Analysed frames over the suite, and those the detector ran on (all of them without gating). */
  frames: number;
  detectedFrames: number;
}

export function countingFigures(r: SuiteReport): CountingFigures {
  const lines = r.clips.flatMap((c) => c.lines.map((l) => ({ clip: c.name, rule: l.rule, truth: l.truth, matched: l.matched, missed: l.missed, spurious: l.spurious })));
  const frames = r.clips.reduce((s, c) => s + c.frames, 0);
  return {
    suite: r.suite,
    lines,
    counts: r.clips.flatMap((c) => c.counts.map((k) => ({ clip: c.name, rule: k.rule, counter: k.counter, expected: k.expected, counted: k.counted }))),
    total: { truth: r.total.truth, matched: r.total.matched, missed: r.total.missed, spurious: r.total.spurious },
    frames,
    detectedFrames: r.clips.reduce((s, c) => s + (c.gate ? c.gate.detectedFrames : c.frames), 0),
  };
}

const lineKey = (l: CountingFigures['lines'][number]) => `${l.clip}\u0000${l.rule}`;
const countKey = (k: CountingFigures['counts'][number]) => `${k.clip}\u0000${k.rule}\u0000${k.counter}`;
const sameLine = (a: CountingFigures['lines'][number] | undefined, b: CountingFigures['lines'][number] | undefined) =>
  !!a && !!b && a.truth === b.truth && a.matched === b.matched && a.missed === b.missed && a.spurious === b.spurious;

/** True when every clip and line has the same matched / missed / spurious crossings and every hand count is the same. */
export function sameCounting(a: CountingFigures, b: CountingFigures): boolean {
  if (a.lines.length !== b.lines.length || a.counts.length !== b.counts.length) return false;
  const bl = new Map(b.lines.map((l) => [lineKey(l), l]));
  const bc = new Map(b.counts.map((k) => [countKey(k), k]));
  return a.lines.every((l) => sameLine(l, bl.get(lineKey(l)))) && a.counts.every((k) => bc.get(countKey(k))?.counted === k.counted);
}

/** The two scorings side by side for people: one row per clip and line, then the hand counts, then the verdict. */
export function formatCountingComparison(off: CountingFigures, on: CountingFigures): string {
  const mms = (l: CountingFigures['lines'][number] | undefined) => (l ? `${l.matched} / ${l.missed} / ${l.spurious}` : '-');
  const onLines = new Map(on.lines.map((l) => [lineKey(l), l]));
  const rows: string[][] = [['clip', 'line', 'truth', 'gating off: matched / missed / spurious', 'gating on: matched / missed / spurious', 'same']];
  for (const l of off.lines) {
    const g = onLines.get(lineKey(l));
    rows.push([l.clip, l.rule, String(l.truth), mms(l), mms(g), sameLine(l, g) ? 'yes' : 'NO']);
  }
  rows.push(['total', '', String(off.total.truth), mms({ ...off.total, clip: '', rule: '' }), mms({ ...on.total, clip: '', rule: '' }), '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const out = [`counting on the ground-truth clips (${off.suite}), the same detections scored without and with motion gating:`, ...rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd())];
  const onCounts = new Map(on.counts.map((k) => [countKey(k), k]));
  if (off.counts.length) {
    out.push('hand counts (expected: gating off / gating on):');
    for (const k of off.counts) {
      const g = onCounts.get(countKey(k));
      out.push(`  ${k.clip} ${k.rule}.${k.counter}  expected ${k.expected}: ${k.counted} / ${g?.counted ?? '-'}  ${g?.counted === k.counted ? 'same' : 'NOT the same'}`);
    }
  }
  out.push(`detector ran on ${off.detectedFrames} of ${off.frames} analysed frames without gating, ${on.detectedFrames} of ${on.frames} with it`);
  out.push(sameCounting(off, on) ? 'gated and ungated counting: identical on every clip' : 'gated and ungated counting: NOT identical (a gated frame mattered: see the rows marked NO)');
  return `${out.join('\n')}\n`;
}
