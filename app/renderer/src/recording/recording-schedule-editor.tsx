import { useId } from 'react';
import type { RecordingWindow } from '../../../shared/domain/recording';
import { t } from '../i18n/en';

/** The schedule as the form edits it: "always", or weekly windows (days 0 = Sunday..6, HH:MM local times). */
export interface ScheduleDraft {
  always: boolean;
  windows: RecordingWindow[];
}

/** Monday first, as officers read a week. */
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;
const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
/** What "set times" starts from: working hours. */
const FIRST_WINDOW: RecordingWindow = { days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' };

export const scheduleDraftOf = (schedule: RecordingWindow[] | null): ScheduleDraft =>
  schedule?.length ? { always: false, windows: schedule.map((w) => ({ ...w, days: [...w.days] })) } : { always: true, windows: [FIRST_WINDOW] };

/** The schedule to save (null: always), or what is wrong with the draft in plain words. */
export function scheduleOf(d: ScheduleDraft): { ok: true; schedule: RecordingWindow[] | null } | { ok: false; error: string } {
  if (d.always) return { ok: true, schedule: null };
  if (!d.windows.length) return { ok: false, error: t.recording.schedule.noWindows };
  for (const [i, w] of d.windows.entries()) {
    if (!w.days.length) return { ok: false, error: t.recording.schedule.noDays(i + 1) };
    if (!TIME_RE.test(w.from) || !TIME_RE.test(w.to)) return { ok: false, error: t.recording.schedule.badTime(i + 1) };
    if (w.from === w.to) return { ok: false, error: t.recording.schedule.sameTime(i + 1) };
  }
  return { ok: true, schedule: d.windows.map((w) => ({ ...w, days: [...w.days].sort((a, b) => a - b) })) };
}

/** "Always" or weekly windows: days × from/to, a window whose end is before its start runs past midnight. */
export function RecordingScheduleEditor({ draft, onChange }: { draft: ScheduleDraft; onChange: (d: ScheduleDraft) => void }) {
  const id = useId();
  const setWindow = (i: number, w: RecordingWindow) => onChange({ ...draft, windows: draft.windows.map((x, j) => (j === i ? w : x)) });
  return (
    <fieldset className="field schedule" data-testid="recording-schedule" aria-describedby={`${id}-hint`}>
      <legend>{t.recording.schedule.title}</legend>
      <label className="check">
        <input type="radio" name={`${id}-when`} checked={draft.always} onChange={() => onChange({ ...draft, always: true })} data-testid="schedule-always" />
        {t.recording.schedule.always}
      </label>
      <label className="check">
        <input type="radio" name={`${id}-when`} checked={!draft.always} onChange={() => onChange({ always: false, windows: draft.windows.length ? draft.windows : [FIRST_WINDOW] })} data-testid="schedule-set-times" />
        {t.recording.schedule.setTimes}
      </label>
      {!draft.always && (
        <>
          {draft.windows.map((w, i) => (
            <div key={i} className="schedule__window" role="group" aria-label={t.recording.schedule.window(i + 1)} data-testid="schedule-window">
              <div className="schedule__days">
                {WEEK.map((d) => (
                  <label key={d} className="check">
                    <input
                      type="checkbox"
                      checked={w.days.includes(d)}
                      onChange={(e) => setWindow(i, { ...w, days: e.target.checked ? [...w.days, d] : w.days.filter((x) => x !== d) })}
                      data-testid={`schedule-day-${d}`}
                    />
                    {t.recording.schedule.days[d]}
                  </label>
                ))}
              </div>
              <label>
                {t.recording.schedule.from}{' '}
                <input type="time" value={w.from} required onChange={(e) => setWindow(i, { ...w, from: e.target.value })} data-testid="schedule-from" />
              </label>
              <label>
                {t.recording.schedule.to}{' '}
                <input type="time" value={w.to} required onChange={(e) => setWindow(i, { ...w, to: e.target.value })} data-testid="schedule-to" />
              </label>
              {w.to < w.from && <span className="muted small">{w.to === '00:00' ? t.recording.schedule.untilMidnight : t.recording.schedule.overnight}</span>}
              <button type="button" className="btn btn--small" onClick={() => onChange({ ...draft, windows: draft.windows.filter((_, j) => j !== i) })} data-testid="schedule-remove">
                {t.recording.schedule.remove}
              </button>
            </div>
          ))}
          <div>
            <button type="button" className="btn btn--small" disabled={draft.windows.length >= 28} onClick={() => onChange({ ...draft, windows: [...draft.windows, { days: [], from: '08:00', to: '18:00' }] })} data-testid="schedule-add">
              {t.recording.schedule.add}
            </button>
          </div>
        </>
      )}
      <p className="field__hint" id={`${id}-hint`}>
        {draft.always ? t.recording.schedule.alwaysHint : t.recording.schedule.setTimesHint}
      </p>
    </fieldset>
  );
}
