import type { RecordingWindow } from '../../shared/domain/recording';

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * Is `at` (local time) inside one of the weekly windows? A window whose `to` is not after its `from` runs across
 * midnight: it starts on its listed days and ends the next morning.
 */
export function inSchedule(windows: readonly RecordingWindow[], at: Date): boolean {
  const day = at.getDay();
  const now = at.getHours() * 60 + at.getMinutes();
  const yesterday = (day + 6) % 7;
  return windows.some((w) => {
    const from = minutes(w.from);
    const to = minutes(w.to);
    if (to > from) return w.days.includes(day) && now >= from && now < to;
    return (w.days.includes(day) && now >= from) || (w.days.includes(yesterday) && now < to);
  });
}
