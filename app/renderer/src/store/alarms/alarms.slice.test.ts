import { describe, expect, it } from 'vitest';
import type { AlarmHistoryEntry, AlarmView } from '../../../../shared/domain/alarms';
import { changeReceived, checkToggled, listsReceived, nextAlarmId, visibleQueue } from './alarms.reducers';
import { initialAlarmsState } from './alarms.state';

const alarm = (id: string, priority: number, status: AlarmView['status'] = 'new'): AlarmView =>
  ({ id, priority, status, cameraId: 'c', ruleId: 'r', condition: null, trackId: 1, eventId: null, type: 'zone.intrusion', basePriority: priority, snapshot: null, triggerCount: 1, escalations: 0, openedMs: 0, openedAt: '', lastTriggerMs: 0, recoveredMs: null, acknowledgedMs: null, acknowledgedBy: null, updatedMs: 0, ...(status === 'closed' ? { outcome: 'test', comment: null, closedMs: 1, closedBy: 'x' } : {}) }) as AlarmView;
const entry = (seq: number): AlarmHistoryEntry => ({ alarmId: 'B', seq, action: 'acknowledge', fromStatus: 'new', toStatus: 'acknowledged', priority: 1, by: 'ana', atMs: 1, at: '', outcome: null, comment: null });

describe('alarms slice', () => {
  it('orders the queue by priority then newest, moves closed alarms out, and records the change for alerts', () => {
    let s = listsReceived(initialAlarmsState, [alarm('A', 3), alarm('B', 1), alarm('C', 3)], []);
    expect(s.open.map((a) => a.id)).toEqual(['B', 'C', 'A']);
    s = { ...s, selectedId: 'B' };
    s = changeReceived(s, 'acknowledge', alarm('B', 1, 'acknowledged'), entry(2));
    expect(s.history.map((h) => h.seq)).toEqual([2]);
    expect(s.lastChange).toMatchObject({ seq: 1, action: 'acknowledge' });
    s = changeReceived(s, 'close', alarm('B', 1, 'closed'), entry(3));
    expect(s.open.map((a) => a.id)).toEqual(['C', 'A']);
    expect(s.closed.map((a) => a.id)).toEqual(['B']);
    expect(nextAlarmId(s.open, 'C')).toBe('A');
    expect(nextAlarmId(s.open, 'A')).toBe('C');
    expect(nextAlarmId([], null)).toBeNull();
  });

  it('ticks open alarms for a bulk action and drops them once closed; during a flood only P1–P2 show unless asked', () => {
    let s = listsReceived(initialAlarmsState, [alarm('A', 3), alarm('B', 1), alarm('C', 2), alarm('D', 5)], []);
    s = checkToggled(s, 'A', true);
    s = checkToggled(s, 'B', true);
    s = checkToggled(s, 'Z', true); // not open: ignored
    expect(s.checked).toEqual(['A', 'B']);
    s = checkToggled(s, 'A', false);
    expect(s.checked).toEqual(['B']);
    s = changeReceived(s, 'close', alarm('B', 1, 'closed'), entry(3));
    expect(s.checked).toEqual([]);
    expect(visibleQueue(s.open, false, false)).toMatchObject({ folded: 0 });
    const flood = visibleQueue(s.open, true, false);
    expect([flood.shown.map((a) => a.id), flood.folded]).toEqual([['C'], 2]);
    expect(visibleQueue(s.open, true, true).shown).toHaveLength(3);
  });
});
