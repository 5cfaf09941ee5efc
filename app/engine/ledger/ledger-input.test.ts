import { describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../shared/domain/analytics';
import type { Box } from '../../shared/domain/detection';
import { ledgerInputOf } from './ledger-input';

const box: Box = [0.1, 0.2, 0.3, 0.4];
const at = { cameraId: 'cam-1', frameMs: 1_700_000_000_000, modelId: 'yolo', source: 'live' as const };

describe('ledgerInputOf: one mapping from a rule event to a ledger row', () => {
  it('a line crossing keeps its direction and no figures', () => {
    const e: AnalyticsEvent = { type: 'line.cross', rule: 'r1', track: 7, t: 3.2, cls: 'person', score: 0.9, box, dir: 'in' };
    expect(ledgerInputOf(e, at)).toEqual({
      cameraId: 'cam-1',
      ruleId: 'r1',
      trackId: 7,
      cls: 'person',
      type: 'line.cross',
      direction: 'in',
      confidence: 0.9,
      frameMs: 1_700_000_000_000,
      modelId: 'yolo',
      box,
      detail: undefined,
      source: 'live',
    });
  });

  it('zone events keep their dwell seconds, an overcrowded zone its occupancy; no direction', () => {
    const loiter: AnalyticsEvent = { type: 'zone.loiter', rule: 'z', track: 1, t: 0, cls: 'person', score: 0.8, box, dwell: 42 };
    expect(ledgerInputOf(loiter, at)).toMatchObject({ type: 'zone.loiter', direction: undefined, detail: { dwell: 42 } });
    const enter: AnalyticsEvent = { type: 'zone.enter', rule: 'z', track: 1, t: 0, cls: 'person', score: 0.8, box };
    expect(ledgerInputOf(enter, at).detail).toBeUndefined();
    const crowd: AnalyticsEvent = { type: 'zone.overcrowd', rule: 'z', track: 1, t: 0, cls: 'person', score: 0.8, box, occupancy: 12 };
    expect(ledgerInputOf(crowd, at)).toMatchObject({ detail: { occupancy: 12 } });
  });

  it('an imported footage event: no box, no model (null), its import source; a stray dir on a zone event is dropped', () => {
    const row = ledgerInputOf({ type: 'zone.exit', rule: 'z', track: 3, cls: 'car', score: 0.5, dir: 'out' }, { cameraId: 'c', frameMs: 5, source: 'import:abc' });
    expect(row).toEqual({
      cameraId: 'c',
      ruleId: 'z',
      trackId: 3,
      cls: 'car',
      type: 'zone.exit',
      direction: undefined,
      confidence: 0.5,
      frameMs: 5,
      modelId: null,
      box: undefined,
      detail: undefined,
      source: 'import:abc',
    });
  });
});
