import { describe, expect, it } from 'vitest';
import type { FrameHeader } from '../../shared/domain/detection';
import { PrivacyMaskSchema } from '../../shared/domain/privacy-mask';
import { parseRulesFile } from '../../shared/domain/rules';
import { person } from '../rules/synthetic.test-support';
import { AnalyticsStage } from './analytics-stage';

const rules = parseRulesFile({ rules: [{ id: 'mid', type: 'line', points: [[0.5, 0], [0.5, 1]], anchor: 'center' }] }).rules;
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
const header = (seq: number, x: number | null): FrameHeader => ({
  cameraId: 'c1',
  seq,
  pts: seq / 10,
  capturedAt: 1_000_000 + seq * 100,
  width: 640,
  height: 480,
  detections: x === null ? null : [person(x, 0.5)],
  modelId: 'm',
});

describe('AnalyticsStage (camera worker)', () => {
  it('writes confirmed track ids into the frame and reports the crossing once, with the frame for its snapshot', () => {
    const stage = new AnalyticsStage('c1', rules);
    const events = [];
    let tracked = 0;
    for (let i = 0; i < 40; i++) {
      const h = header(i, 0.2 + i * 0.015);
      const out = stage.process(h, jpeg);
      if (h.detections?.[0]?.track !== undefined) tracked++;
      if (out.report?.events.length) {
        expect(out.report.jpeg).toBe(jpeg);
        expect(out.report.frameAt).toBe(h.capturedAt);
        events.push(...out.report.events);
      }
    }
    expect(tracked).toBeGreaterThan(30);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'line.cross', rule: 'mid', dir: 'in' });
  });

  it('passes frames without detections through and finishes tracks on flush', () => {
    const stage = new AnalyticsStage('c1', rules);
    expect(stage.process(header(0, null), jpeg)).toEqual({ report: null, finishedTracks: [] });
    for (let i = 1; i < 10; i++) stage.process(header(i, 0.2), jpeg);
    const tracks = stage.flush();
    expect(tracks).toHaveLength(1);
    expect(tracks[0]).toMatchObject({ cameraId: 'c1', cls: 'person' });
  });

  it('applies new rules without losing the tracks', () => {
    const stage = new AnalyticsStage('c1', []);
    for (let i = 0; i < 10; i++) stage.process(header(i, 0.2 + i * 0.015), jpeg);
    stage.setRules(rules);
    const events = [];
    for (let i = 10; i < 40; i++) events.push(...(stage.process(header(i, 0.2 + i * 0.015), jpeg).report?.events ?? []));
    expect(events.map((e) => e.type)).toEqual(['line.cross']);
  });

  it('drops detections inside an ignore mask before tracking, rules and the overlay; a keep mask lets them through', () => {
    const leftHalf = PrivacyMaskSchema.parse({ id: 'm', points: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]] });
    const stage = new AnalyticsStage('c1', rules, [leftHalf]);
    const events = [];
    let visibleInMask = 0;
    for (let i = 0; i < 40; i++) {
      const h = header(i, 0.2 + i * 0.015);
      events.push(...(stage.process(h, jpeg).report?.events ?? []));
      if (h.detections!.some((d) => (d.box[0] + d.box[2]) / 2 < 0.5)) visibleInMask++;
    }
    expect(visibleInMask).toBe(0);
    expect(events).toHaveLength(0); // the object never seen on the left side cannot cross
    const keep = new AnalyticsStage('c1', rules, [{ ...leftHalf, detections: 'keep' }]);
    const kept = [];
    for (let i = 0; i < 40; i++) kept.push(...(keep.process(header(i, 0.2 + i * 0.015), jpeg).report?.events ?? []));
    expect(kept).toHaveLength(1);
    stage.setMasks([]);
    const h = header(50, 0.2);
    stage.process(h, jpeg);
    expect(h.detections).toHaveLength(1);
  });
});
