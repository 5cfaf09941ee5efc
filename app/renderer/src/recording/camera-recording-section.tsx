import { useEffect, useId, useState } from 'react';
import { CameraRecordingSchema, type CameraRecording, type RecordingMode } from '../../../shared/domain/recording';
import { errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { useActions } from '../store/store';
import { RecordingScheduleEditor, scheduleDraftOf, scheduleOf, type ScheduleDraft } from './recording-schedule-editor';

interface Draft {
  mode: RecordingMode;
  preRollS: string;
  postRollS: string;
  retentionDays: string;
  schedule: ScheduleDraft;
}

const draftOf = (s: CameraRecording): Draft => ({
  mode: s.mode,
  preRollS: String(s.preRollS),
  postRollS: String(s.postRollS),
  retentionDays: s.retentionDays === null ? '' : String(s.retentionDays),
  schedule: scheduleDraftOf(s.schedule),
});

/**
 * The camera form's Recording section (admins): mode, pre-roll and post-roll, retention days, when to record
 * (always, or weekly days × from/to times; the engine's schedule). It saves on its own
 * button (recordings:camera-set) beside the camera's Save; a camera not saved yet records with the defaults.
 */
export function CameraRecordingSection({ cameraId }: { cameraId: string | null }) {
  const { loadCameraRecording, saveCameraRecording } = useActions();
  const [stored, setStored] = useState<CameraRecording | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    if (!cameraId) return;
    let live = true;
    loadCameraRecording(cameraId).then(
      (s) => {
        if (!live) return;
        setStored(s);
        setDraft(draftOf(s));
      },
      (e: unknown) => live && setMessage({ kind: 'error', text: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [cameraId, loadCameraRecording]);

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => (d ? { ...d, [k]: v } : d));
    setMessage(null);
  };
  const save = async () => {
    if (!cameraId || !draft || !stored) return;
    const schedule = scheduleOf(draft.schedule);
    if (!schedule.ok) return setMessage({ kind: 'error', text: schedule.error });
    const parsed = CameraRecordingSchema.safeParse({
      ...stored,
      mode: draft.mode,
      preRollS: Number(draft.preRollS),
      postRollS: Number(draft.postRollS),
      retentionDays: draft.retentionDays.trim() === '' ? null : Number(draft.retentionDays),
      schedule: schedule.schedule,
    });
    if (!parsed.success) return setMessage({ kind: 'error', text: t.recording.badNumber });
    setBusy(true);
    try {
      const s = await saveCameraRecording(cameraId, parsed.data);
      setStored(s);
      setDraft(draftOf(s));
      setMessage({ kind: 'ok', text: t.recording.saved });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="field" data-testid="camera-recording" aria-labelledby={`${id}-title`}>
      <legend id={`${id}-title`}>{t.recording.title}</legend>
      {!cameraId && <p className="muted small">{t.recording.newCamera}</p>}
      {cameraId && draft && (
        <>
          <div className="field">
            <label htmlFor={`${id}-mode`}>{t.recording.mode}</label>
            <select id={`${id}-mode`} value={draft.mode} data-testid="recording-mode" aria-describedby={`${id}-mode-hint`} onChange={(e) => set('mode', e.target.value as RecordingMode)}>
              {(['continuous', 'events', 'off'] as const).map((m) => (
                <option key={m} value={m}>
                  {t.recording.modes[m]}
                </option>
              ))}
            </select>
            <p className="field__hint" id={`${id}-mode-hint`}>
              {t.recording.modeHint}
            </p>
          </div>
          {draft.mode === 'events' && (
            <div className="form__row">
              <div className="field">
                <label htmlFor={`${id}-pre`}>{t.recording.preRoll}</label>
                <input id={`${id}-pre`} type="number" min={0} max={120} step={1} inputMode="numeric" value={draft.preRollS} data-testid="recording-pre-roll" onChange={(e) => set('preRollS', e.target.value)} />
              </div>
              <div className="field">
                <label htmlFor={`${id}-post`}>{t.recording.postRoll}</label>
                <input id={`${id}-post`} type="number" min={0} max={600} step={1} inputMode="numeric" value={draft.postRollS} data-testid="recording-post-roll" onChange={(e) => set('postRollS', e.target.value)} />
              </div>
            </div>
          )}
          {draft.mode !== 'off' && (
            <div className="field">
              <label htmlFor={`${id}-days`}>{t.recording.retentionDays}</label>
              <input id={`${id}-days`} type="number" min={1} max={3650} step={1} inputMode="numeric" value={draft.retentionDays} data-testid="recording-retention" aria-describedby={`${id}-days-hint`} onChange={(e) => set('retentionDays', e.target.value)} />
              <p className="field__hint" id={`${id}-days-hint`}>
                {t.recording.retentionHint}
              </p>
            </div>
          )}
          {draft.mode !== 'off' && <RecordingScheduleEditor draft={draft.schedule} onChange={(d) => set('schedule', d)} />}
          <div className="form__actions">
            <button type="button" className="btn" disabled={busy} data-testid="recording-save" onClick={() => void save()}>
              {t.recording.save}
            </button>
          </div>
        </>
      )}
      {message && (
        <p className={message.kind === 'ok' ? 'muted small' : 'field__error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="recording-message">
          {message.text}
        </p>
      )}
    </fieldset>
  );
}
