import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlarmView } from '../../../shared/domain/alarms';
import { alarmLog, alertFor, alerts } from './alarm-alerts';

const alarm = { id: 'A1', priority: 2, status: 'new' } as unknown as AlarmView;

afterEach(() => {
  vi.unstubAllGlobals();
  delete (globalThis as { __watchroomAlarmLog?: unknown }).__watchroomAlarmLog;
});

describe('alarm alerts', () => {
  it('sounds and notifies on open and escalate only, and records both', () => {
    const started: number[] = [];
    class FakeAudio {
      state = 'running';
      currentTime = 0;
      destination = {};
      resume = async () => undefined;
      createOscillator() {
        return { type: '', frequency: { value: 0 }, connect: (g: unknown) => g, start: (t: number) => started.push(t), stop: () => undefined };
      }
      createGain() {
        return { gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined }, connect: (d: unknown) => d };
      }
    }
    const shown: string[] = [];
    class FakeNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string) {
        shown.push(title);
      }
    }
    vi.stubGlobal('AudioContext', FakeAudio);
    vi.stubGlobal('Notification', FakeNotification);
    expect(alerts({ action: 'acknowledge' })).toBe(false);
    alertFor({ seq: 1, action: 'acknowledge', alarm }, () => ({ title: 't', body: 'b' }));
    alertFor({ seq: 2, action: 'open', alarm }, () => ({ title: 'Alarm P2', body: 'b' }));
    alertFor({ seq: 3, action: 'escalate', alarm: { ...alarm, priority: 1 } as AlarmView }, () => ({ title: 'Alarm P1', body: 'b' }));
    expect(started).toHaveLength(3 + 4);
    expect(shown).toEqual(['Alarm P2', 'Alarm P1']);
    expect(alarmLog().sounds.map((s) => `${s.action}:${s.priority}:${s.audioState}`)).toEqual(['open:2:running', 'escalate:1:running']);
    expect(alarmLog().notifications.map((n) => n.shown)).toEqual([true, true]);
  });
});
