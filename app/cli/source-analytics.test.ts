import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../shared/domain/analytics';
import { ModelManifestSchema } from '../shared/domain/model';
import { COCO80 } from '../engine/inference/decoders/coco-classes';
import { postprocess } from '../engine/inference/postprocess';
import { person } from '../engine/rules/synthetic.test-support';
import { countersJson, eventJson, loadRulesFile, occupancyJson, RulesInputError, SourceAnalytics, trackingThresholds } from './source-analytics';
import { round } from './cli-common';
import { formatEvalReport, type EvalReport } from './eval-report';
import { footageKeyOf } from './event-sink';

const manifest = ModelManifestSchema.parse({
  id: 'm', name: 'm', file: 'm.onnx', licence: 'x', decoder: 'yolox', classes: [...COCO80],
  input: { name: 'images', shape: [1, 3, 416, 416], layout: 'nchw', colour: 'bgr', letterbox: 'topleft' },
  thresholds: { score: 0.3, nmsIou: 0.45, perClass: { car: 0.6 } },
});

describe('trackingThresholds', () => {
  it('lowers every class to the tracker low score for the detector, reports at the normal thresholds', () => {
    const th = trackingThresholds(manifest, { classes: null }, 0.1);
    expect(th.detector).toMatchObject({ classes: null, score: 0.1, perClass: { car: 0.1 } });
    const cands = [
      { classId: 0, score: 0.2, box: [0.1, 0.1, 0.2, 0.4] as [number, number, number, number] },
      { classId: 0, score: 0.35, box: [0.5, 0.1, 0.6, 0.4] as [number, number, number, number] },
      { classId: 2, score: 0.5, box: [0.7, 0.5, 0.9, 0.7] as [number, number, number, number] },
      { classId: 2, score: 0.65, box: [0.1, 0.5, 0.3, 0.7] as [number, number, number, number] },
    ];
    const low = postprocess(cands, manifest, th.detector);
    expect(low).toHaveLength(4);
    // What is reported equals what the detector gives at its normal thresholds.
    const normal = postprocess(cands, manifest, { classes: null });
    expect(low.filter(th.reported)).toEqual(normal);
  });
  it('honours a --score override and never raises a threshold', () => {
    const th = trackingThresholds(manifest, { score: 0.05 }, 0.1);
    expect(th.detector.score).toBe(0.05);
    expect(th.reported(person(0.5, 0.5, 0.06))).toBe(true);
  });
});

describe('SourceAnalytics', () => {
  it('tracks on all detections, reports only those above threshold, with track ids once confirmed', () => {
    const rules = [{ id: 'z', type: 'zone' as const, points: [[0, 0], [1, 0], [1, 1], [0, 1]] as [number, number][], anchor: 'center' as const, enabled: true, classes: ['person'], minSeconds: 0 }];
    const stage = new SourceAnalytics(rules, (d) => d.score >= 0.3, 0);
    let last = stage.frame(0, [person(0.3, 0.5, 0.9)]);
    // A person walking (a sign that never moves would not be counted inside the zone).
    for (let f = 1; f < 5; f++) last = stage.frame(f / 5, [person(0.3 + f * 0.03, 0.5, f === 4 ? 0.2 : 0.9)]);
    // Frame 4's low-score detection extends the track but is not reported.
    expect(last.detections).toEqual([]);
    expect(last.tracks.some((t) => t.confirmed && !t.predicted)).toBe(true);
    expect(occupancyJson(last.counters)).toEqual({ z: 1 });
    last = stage.frame(1, [person(0.45, 0.5, 0.9)]);
    expect(last.detections[0]!.track).toBe(1);
    expect(countersJson(stage.counters())).toEqual({ z: { enter: 1, exit: 0, maxOccupancy: 1 } });
  });
});

describe('public JSON shapes', () => {
  const base = { rule: 'r', track: 3, cls: 'person', score: 0.9, box: [0, 0, 1, 1] as [number, number, number, number] };
  it('events: type, rule, dir (lines), track, t; dwell/occupancy where they exist', () => {
    expect(eventJson({ ...base, type: 'line.cross', dir: 'in', t: 1.23456 }, round)).toEqual({ type: 'line.cross', rule: 'r', dir: 'in', track: 3, t: 1.235 });
    expect(eventJson({ ...base, type: 'zone.exit', t: 2, dwell: 1.5 } as AnalyticsEvent, round)).toEqual({ type: 'zone.exit', rule: 'r', track: 3, t: 2, dwell: 1.5 });
    expect(eventJson({ ...base, type: 'zone.overcrowd', t: 2, occupancy: 4 }, round)).toEqual({ type: 'zone.overcrowd', rule: 'r', track: 3, t: 2, occupancy: 4 });
  });
  it('counters: lines {in,out}, zones {enter,exit,maxOccupancy}; occupancy only for zones', () => {
    const c = { l: { kind: 'line' as const, in: 2, out: 1 }, z: { kind: 'zone' as const, enter: 3, exit: 2, occupancy: 1, maxOccupancy: 2 } };
    expect(countersJson(c)).toEqual({ l: { in: 2, out: 1 }, z: { enter: 3, exit: 2, maxOccupancy: 2 } });
    expect(occupancyJson(c)).toEqual({ z: 1 });
    expect(occupancyJson({ l: c.l })).toBeNull();
    expect(occupancyJson(null)).toBeNull();
  });
});

describe('loadRulesFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-rules-'));
  const write = (text: string) => {
    const p = path.join(dir, `${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(p, text);
    return p;
  };
  it('parses a valid file with defaults', () => {
    const rules = loadRulesFile(write('{"rules":[{"id":"mid","type":"line","points":[[0.5,0],[0.5,1]]}]}'));
    expect(rules[0]).toMatchObject({ id: 'mid', anchor: 'bottom-center', classes: ['person'] });
  });
  it('throws RulesInputError naming the file and the problem', () => {
    expect(() => loadRulesFile(path.join(dir, 'nope.json'))).toThrow(RulesInputError);
    expect(() => loadRulesFile(write('nope'))).toThrow(/is not JSON/);
    expect(() => loadRulesFile(write('{"rules":[{"id":"z","type":"zone","points":[[0,0],[1,1],[1,0],[0,1]]}]}'))).toThrow(/rules file .*: invalid rules: .*intersects itself/);
  });
});

describe('footageKeyOf / formatEvalReport', () => {
  it('same footage and rules -> same key; other rules -> another key', () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wr-fk-')), 'a.mp4');
    fs.writeFileSync(f, 'x');
    expect(footageKeyOf(f, 'r1')).toBe(footageKeyOf(f, 'r1'));
    expect(footageKeyOf(f, 'r1')).not.toBe(footageKeyOf(f, 'r2'));
    expect(footageKeyOf(f, 'r1')).toMatch(/^[0-9a-f]{64}$/);
  });
  it('prints MOTA, IDF1, ID switches and the per-rule crossing table', () => {
    const r: EvalReport = {
      source: 's.mp4', frames: 71, fps: 25, toleranceS: 1,
      mot: { mota: 0.6435, idf1: 0.6552, idSwitches: 4, precision: 0.92, recall: 0.72, falsePositives: 22, falseNegatives: 102, motp: 0.74, gtTracks: 8, tracks: 6, gtBoxes: 359, hypBoxes: 279 },
      crossings: { mid: { counted: { in: 4, out: 1 }, truth: { in: 4, out: 1 }, matched: 4, missed: [{ dir: 'out', t: 2.1, track: 7 }], spurious: [] } },
    };
    const text = formatEvalReport(r);
    expect(text).toMatch(/MOTA\s+0\.64\d/);
    expect(text).toMatch(/IDF1\s+0\.655/);
    expect(text).toMatch(/ID switches\s+4/);
    expect(text).toMatch(/mid\s+4\/1\s+4\/1\s+4\s+1\s+0/);
    expect(text).toMatch(/missed\s+out at 2.1 s/);
  });
});
