import { describe, expect, it } from 'vitest';
import type { AlarmView } from '../../../shared/domain/alarms';
import type { CameraView } from '../../../shared/domain/camera';
import type { AlarmHistoryEntry } from '../../../shared/domain/alarms';
import { alarmKind, alarmPlace, alarmRuleLabel, alarmTitle, historyLines, notificationText, systemPlace } from './alarm-text';

const base = { id: '01J00000000000000000000000', type: 'x', priority: 1, basePriority: 1, snapshot: null, triggerCount: 1, escalations: 0, openedMs: 0, openedAt: '', lastTriggerMs: 0, recoveredMs: null, acknowledgedMs: null, acknowledgedBy: null, updatedMs: 0, status: 'new' } as const;
const cameras = [{ id: 'c1', name: 'Gate' }] as unknown as CameraView[];

describe('alarm text', () => {
  it('names a system alarm by its condition and its sink or the outbox, never by a camera', () => {
    const backlog: AlarmView = { ...base, kind: 'system', cameraId: null, ruleId: null, condition: 'export-backlog', trackId: null, eventId: null, subject: 'sink:S1', type: 'system.export-backlog', detail: { condition: 'export-backlog', sinkId: 'S1', sinkName: 'HQ', backlog: 12, oldestAgeMs: 1000, ageThresholdMs: 900_000, countThreshold: null } };
    const outbox: AlarmView = { ...base, kind: 'system', cameraId: null, ruleId: null, condition: 'outbox-near-cap', trackId: null, eventId: null, subject: 'outbox', type: 'system.outbox-near-cap', detail: { condition: 'outbox-near-cap', rows: 90, undelivered: 85, cap: 100, warnRatio: 0.8, droppedTotal: 0 } };
    const health: AlarmView = { ...base, kind: 'health', cameraId: 'c1', ruleId: null, condition: 'offline', trackId: null, eventId: null, subject: null, detail: null, type: 'health.offline' };
    expect([alarmKind(backlog), alarmPlace(backlog, cameras)]).toEqual(['Export backlog', 'Export sink “HQ”']);
    expect([alarmKind(outbox), alarmPlace(outbox, cameras)]).toEqual(['Export outbox nearly full', 'Export outbox']);
    expect([alarmKind(health), alarmPlace(health, cameras)]).toEqual(['Camera offline', 'Gate']);
    expect(notificationText(outbox, cameras)).toEqual({ title: 'Alarm P1: Export outbox nearly full', body: 'Export outbox nearly full · Export outbox' });
    expect(systemPlace(null)).toBe('Site');
  });

  it('titles a rule alarm with the rule name and direction ("Entry line · in"), never its id while a name is known', () => {
    const rule: AlarmView = { ...base, kind: 'rule', cameraId: 'c1', ruleId: 'line-1', ruleName: 'Entry line', direction: 'in', condition: null, trackId: 4, eventId: null, subject: null, detail: null, type: 'line.cross' };
    expect(alarmTitle(rule, cameras)).toBe('Line crossing · Gate · Entry line · in');
    expect(notificationText(rule, cameras).body).toBe('Line crossing · Gate · Entry line · in');
    // An alarm saved before names were kept: the camera's current rule name, then the id.
    expect(alarmRuleLabel({ ruleId: 'zone-1', ruleName: null, direction: null }, (id) => (id === 'zone-1' ? 'Loading bay' : undefined))).toBe('Loading bay');
    expect(alarmRuleLabel({ ruleId: 'zone-9', ruleName: null, direction: null }, () => undefined)).toBe('zone-9');
    expect(alarmRuleLabel({ ruleId: null, ruleName: null, direction: null })).toBeNull();
  });

  it('shows a run of repeats as one history line with its count and last time', () => {
    const h = (seq: number, action: AlarmHistoryEntry['action'], atMs: number): AlarmHistoryEntry => ({ alarmId: 'A', seq, action, fromStatus: 'new', toStatus: 'new', priority: 3, by: 'system', atMs, at: '', outcome: null, comment: null });
    const lines = historyLines([h(1, 'open', 1), h(2, 'retrigger', 2), h(3, 'retrigger', 3), h(4, 'acknowledge', 4), h(5, 'retrigger', 5)]);
    expect(lines.map((l) => [l.entry.action, l.count, l.lastAtMs])).toEqual([['open', 1, 1], ['retrigger', 2, 3], ['acknowledge', 1, 4], ['retrigger', 1, 5]]);
  });
});
