import { describe, expect, it } from 'vitest';
import { countingFigures, formatCountingComparison, sameCounting } from './bench-counting';
import type { SuiteReport } from './eval-report';

type Clip = SuiteReport['clips'][number];
const line = (rule: string, truth: number, matched: number, missed: number, spurious: number): Clip['lines'][number] => ({ rule, truth, counted: matched + spurious, matched, missed, spurious, missedAt: [], spuriousAt: [] });
const clip = (name: string, lines: Clip['lines'], extra: Partial<Clip> = {}): Clip => ({ name, frames: 100, fps: 10, mot: null, lines, counts: [], empty: [], ...extra });
const report = (clips: Clip[]): SuiteReport => {
  const sum = (k: 'truth' | 'matched' | 'missed' | 'spurious') => clips.reduce((s, c) => s + c.lines.reduce((t, l) => t + l[k], 0), 0);
  return {
    suite: 'test/eval/suite.json',
    toleranceS: 1,
    clips,
    total: { truth: sum('truth'), matched: sum('matched'), missed: sum('missed'), spurious: sum('spurious'), crossingRecall: 0, crossingPrecision: 0, recall: 0, precision: 0, mota: 0, idf1: 0, idSwitches: 0, countChecks: 0, countChecksFailed: 0, emptyChecks: 0, emptyChecksFailed: 0 },
  };
};
const intel = (inCount: number, gate?: Clip['gate']) => clip('intel-visits@5', [], { counts: [{ rule: 'entry', counter: 'in', expected: 6, counted: inCount }], ...(gate ? { gate } : {}) });

const ungated = report([clip('tud-campus', [line('mid', 8, 7, 1, 0)]), clip('adl-rundle-6', [line('mid', 12, 11, 1, 2)]), intel(6)]);
const gatedSame = report([clip('tud-campus', [line('mid', 8, 7, 1, 0)], { gate: { detectedFrames: 60, frames: 100 } }), clip('adl-rundle-6', [line('mid', 12, 11, 1, 2)], { gate: { detectedFrames: 90, frames: 100 } }), intel(6, { detectedFrames: 30, frames: 100 })]);

describe('bench --scale counting figures (gating off against on)', () => {
  it('the JSON shape: per clip and line matched / missed / spurious, hand counts, totals, detector frames', () => {
    const off = countingFigures(ungated);
    expect(off).toEqual({
      suite: 'test/eval/suite.json',
      lines: [
        { clip: 'tud-campus', rule: 'mid', truth: 8, matched: 7, missed: 1, spurious: 0 },
        { clip: 'adl-rundle-6', rule: 'mid', truth: 12, matched: 11, missed: 1, spurious: 2 },
      ],
      counts: [{ clip: 'intel-visits@5', rule: 'entry', counter: 'in', expected: 6, counted: 6 }],
      total: { truth: 20, matched: 18, missed: 2, spurious: 2 },
      frames: 300,
      detectedFrames: 300,
    });
    expect(countingFigures(gatedSame).detectedFrames).toBe(180);
    // what the bench's JSON line carries survives JSON as is
    const scale = { crossingsUngated: off, crossingsGated: countingFigures(gatedSame), crossingsIdentical: true };
    expect(JSON.parse(JSON.stringify(scale))).toEqual(scale);
  });

  it('identical figures: every row "yes", the hand count "same", the verdict says identical', () => {
    const off = countingFigures(ungated);
    const on = countingFigures(gatedSame);
    expect(sameCounting(off, on)).toBe(true);
    const text = formatCountingComparison(off, on);
    const rows = text.split('\n');
    expect(rows.find((r) => r.startsWith('tud-campus'))).toMatch(/^tud-campus\s+mid\s+8\s+7 \/ 1 \/ 0\s+7 \/ 1 \/ 0\s+yes$/);
    expect(rows.find((r) => r.startsWith('adl-rundle-6'))).toMatch(/^adl-rundle-6\s+mid\s+12\s+11 \/ 1 \/ 2\s+11 \/ 1 \/ 2\s+yes$/);
    expect(rows.find((r) => r.startsWith('total'))).toMatch(/^total\s+20\s+18 \/ 2 \/ 2\s+18 \/ 2 \/ 2$/);
    expect(text).toContain('intel-visits@5 entry.in  expected 6: 6 / 6  same');
    expect(text).toContain('detector ran on 300 of 300 analysed frames without gating, 180 of 300 with it');
    expect(text).toContain('gated and ungated counting: identical on every clip');
  });

  it('a crossing lost to gating or a different hand count is marked, and the verdict says NOT identical', () => {
    const off = countingFigures(ungated);
    const lost = countingFigures(report([clip('tud-campus', [line('mid', 8, 6, 2, 0)]), clip('adl-rundle-6', [line('mid', 12, 11, 1, 2)]), intel(6)]));
    expect(sameCounting(off, lost)).toBe(false);
    const text = formatCountingComparison(off, lost);
    expect(text.split('\n').find((r) => r.startsWith('tud-campus'))).toMatch(/7 \/ 1 \/ 0\s+6 \/ 2 \/ 0\s+NO$/);
    expect(text).toContain('NOT identical');
    const handCount = countingFigures(report([clip('tud-campus', [line('mid', 8, 7, 1, 0)]), clip('adl-rundle-6', [line('mid', 12, 11, 1, 2)]), intel(5)]));
    expect(sameCounting(off, handCount)).toBe(false);
    expect(formatCountingComparison(off, handCount)).toContain('expected 6: 6 / 5  NOT the same');
    // a clip missing on one side is not identical either
    expect(sameCounting(off, countingFigures(report([clip('tud-campus', [line('mid', 8, 7, 1, 0)]), intel(6)])))).toBe(false);
  });
});
