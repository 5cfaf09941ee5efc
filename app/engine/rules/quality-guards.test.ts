import { describe, expect, it } from 'vitest';
import { LineRuleSchema, ZoneRuleSchema } from '../../shared/domain/rules';
import { lineFpsTooLow, lineNearEdge, ruleQualityWarnings, tracksFragmented, zoneTooSmall } from './quality-guards';

const line = (points: Array<[number, number]>, over: Record<string, unknown> = {}) => LineRuleSchema.parse({ id: 'l', name: 'Door', type: 'line', points, ...over });

describe('quality guards', () => {
  it('warns about a bottom-centre line hugging the bottom edge, not about one in the middle', () => {
    const w = lineNearEdge(line([[0.1, 0.99], [0.9, 0.985]]));
    expect(w).toEqual([expect.objectContaining({ code: 'line-near-edge', severity: 'warning', ruleId: 'l' })]);
    expect(w[0]!.message).toMatch(/bottom edge/);
    expect(lineNearEdge(line([[0.1, 0.5], [0.9, 0.5]]))).toEqual([]);
    expect(lineNearEdge(line([[0.985, 0.1], [0.99, 0.9]]))[0]!.message).toMatch(/right edge/);
    // A diagonal line touching the bottom edge at one end only still leaves room elsewhere.
    expect(lineNearEdge(line([[0.1, 0.99], [0.9, 0.4]]))).toEqual([]);
  });

  it('warns when too few frames fall on the far side at the analysis rate', () => {
    const nearTop = line([[0.1, 0.12], [0.9, 0.12]], { hysteresis: 0.05 }); // "in" side (up) has 0.12 of room
    expect(lineFpsTooLow(nearTop, { analysisFps: 2 })).toEqual([expect.objectContaining({ code: 'fps-too-low' })]);
    expect(lineFpsTooLow(nearTop, { analysisFps: 2 })[0]!.message).toMatch(/"in" side/);
    expect(lineFpsTooLow(nearTop, { analysisFps: 25 })).toEqual([]);
    expect(lineFpsTooLow(line([[0.1, 0.5], [0.9, 0.5]]), { analysisFps: 5 })).toEqual([]);
    // A faster typical speed (close-up camera) makes the same line fail at a rate that was fine.
    expect(lineFpsTooLow(line([[0.1, 0.5], [0.9, 0.5]]), { analysisFps: 5, typicalSpeed: 3 })).toHaveLength(1);
  });

  it('says plainly how often a walker is seen past the line, and which requirement fails', () => {
    const atEdge = line([[0.1, 0.04], [0.9, 0.04]], { hysteresis: 0.05 }); // less room than the hysteresis band
    expect(lineFpsTooLow(atEdge, { analysisFps: 5 })[0]!.message).toMatch(/seen on no frame past line "Door"/);
    // Enough frames at 25 fps, but not the rule's minimum time: raising the rate would not help.
    const slow = line([[0.1, 0.3], [0.9, 0.3]], { hysteresis: 0.05, minFrames: 2, minSeconds: 2 });
    const [w] = lineFpsTooLow(slow, { analysisFps: 25 });
    expect(w!.message).toMatch(/for only about 0\.5 s .* the rule needs 2 s/);
    expect(w!.message).not.toMatch(/analysis rate/);
  });

  it('warns about a zone a walker crosses faster than its minimum time', () => {
    const thin = ZoneRuleSchema.parse({ id: 'z', type: 'zone', points: [[0.1, 0.5], [0.9, 0.5], [0.9, 0.55], [0.1, 0.55]], minSeconds: 0.3 });
    expect(zoneTooSmall(thin, { analysisFps: 10 })).toEqual([expect.objectContaining({ code: 'zone-too-small', ruleId: 'z' })]);
    const big = ZoneRuleSchema.parse({ id: 'z', type: 'zone', points: [[0.1, 0.1], [0.9, 0.1], [0.9, 0.9], [0.1, 0.9]] });
    expect(zoneTooSmall(big, { analysisFps: 10 })).toEqual([]);
  });

  it('warns about fragmented tracks only with enough data', () => {
    expect(tracksFragmented({ analysisFps: 10, tracker: { tracks: 100, trackSeconds: 40 } })).toEqual([expect.objectContaining({ code: 'tracks-fragmented' })]);
    expect(tracksFragmented({ analysisFps: 10, tracker: { tracks: 100, trackSeconds: 400 } })).toEqual([]);
    expect(tracksFragmented({ analysisFps: 10, tracker: { tracks: 5, trackSeconds: 1 } })).toEqual([]);
    expect(tracksFragmented({ analysisFps: 10 })).toEqual([]);
  });

  it('combines the guards per rule and stays quiet for disabled rules', () => {
    const bad = line([[0.1, 0.99], [0.9, 0.99]]);
    const codes = ruleQualityWarnings(bad, { analysisFps: 10, tracker: { tracks: 50, trackSeconds: 10 } }).map((w) => w.code);
    expect(codes).toEqual(expect.arrayContaining(['line-near-edge', 'tracks-fragmented']));
    expect(ruleQualityWarnings({ ...bad, enabled: false }, { analysisFps: 10 })).toEqual([]);
  });
});
