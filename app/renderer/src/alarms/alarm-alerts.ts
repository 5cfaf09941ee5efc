import type { AlarmView } from '../../../shared/domain/alarms';
import type { AlarmChangeSeen } from '../store/alarms/alarms.state';

/**
 * Sound (Web Audio, one pattern per priority) and a desktop notification (Notification API; Electron shows it
 * natively) when an alarm opens or escalates. Every alert actually triggered is recorded in
 * `window.__watchroomAlarmLog`, which the e2e tests read ("the page records them").
 */
export interface AlarmAlertLog {
  sounds: Array<{ alarmId: string; priority: number; action: string; at: number; tones: number; audioState: string }>;
  notifications: Array<{ alarmId: string; title: string; body: string; at: number; permission: string; shown: boolean }>;
}

/** Tone pattern per priority: frequency (Hz), beeps, beep length (s). P1 is the most insistent. */
export const SOUND_PATTERNS: Record<number, { hz: number; beeps: number; len: number }> = {
  1: { hz: 1046, beeps: 4, len: 0.14 },
  2: { hz: 880, beeps: 3, len: 0.16 },
  3: { hz: 740, beeps: 2, len: 0.18 },
  4: { hz: 587, beeps: 1, len: 0.22 },
  5: { hz: 440, beeps: 1, len: 0.18 },
};

/** Whether a change should alert: a new alarm, or an escalation (the sound repeats). */
export const alerts = (c: Pick<AlarmChangeSeen, 'action'>): boolean => c.action === 'open' || c.action === 'escalate';

export function alarmLog(): AlarmAlertLog {
  const w = globalThis as unknown as { __watchroomAlarmLog?: AlarmAlertLog };
  w.__watchroomAlarmLog ??= { sounds: [], notifications: [] };
  return w.__watchroomAlarmLog;
}

let audio: AudioContext | null = null;

/** Plays the priority's pattern; returns the AudioContext state ('running', 'suspended' before a user gesture, or 'unavailable'). */
export function playAlarmSound(priority: number): string {
  const Ctor = (globalThis as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctor) return 'unavailable';
  audio ??= new Ctor();
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  const p = SOUND_PATTERNS[priority] ?? SOUND_PATTERNS[3]!;
  const t0 = audio.currentTime + 0.02;
  for (let i = 0; i < p.beeps; i++) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'square';
    osc.frequency.value = p.hz;
    const start = t0 + i * p.len * 1.8;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + p.len);
    osc.connect(gain).connect(audio.destination);
    osc.start(start);
    osc.stop(start + p.len + 0.02);
  }
  return audio.state;
}

/** Shows a desktop notification when allowed (asks once); returns whether one was shown. */
export function showNotification(title: string, body: string, tag: string): { permission: string; shown: boolean } {
  const N = (globalThis as unknown as { Notification?: typeof Notification }).Notification;
  if (!N) return { permission: 'unavailable', shown: false };
  if (N.permission === 'granted') {
    try {
      new N(title, { body, tag, requireInteraction: true });
      return { permission: 'granted', shown: true };
    } catch {
      return { permission: 'granted', shown: false };
    }
  }
  if (N.permission === 'default') void N.requestPermission().catch(() => undefined);
  return { permission: N.permission, shown: false };
}

/** Sound + notification for one change, recorded in the page's alarm log. */
export function alertFor(change: AlarmChangeSeen, describe: (a: AlarmView) => { title: string; body: string }): void {
  if (!alerts(change)) return;
  const { alarm } = change;
  const audioState = playAlarmSound(alarm.priority);
  const log = alarmLog();
  log.sounds.push({ alarmId: alarm.id, priority: alarm.priority, action: change.action, at: Date.now(), tones: (SOUND_PATTERNS[alarm.priority] ?? SOUND_PATTERNS[3]!).beeps, audioState });
  const { title, body } = describe(alarm);
  const n = showNotification(title, body, `alarm-${alarm.id}`);
  log.notifications.push({ alarmId: alarm.id, title, body, at: Date.now(), ...n });
}
