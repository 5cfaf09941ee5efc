import { useEffect, useId, useState } from 'react';
import { RecordingStorageSchema } from '../../../shared/domain/recording';
import type { RecordingStorageStatus } from '../../../shared/ipc/recordings.contract';
import { errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { formatBytes } from '../i18n/en-recording';
import { useActions, useRoot } from '../store/store';

/** Settings → Recording storage (admins): the site quota and free-space floor, and what recordings take now. */
export function RecordingStorageSection() {
  const { loadRecordingStorage, saveRecordingStorage } = useActions();
  const cameras = useRoot((s) => s.cameras.list);
  const [status, setStatus] = useState<RecordingStorageStatus | null>(null);
  const [quota, setQuota] = useState('');
  const [floor, setFloor] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const id = useId();
  const received = (s: RecordingStorageStatus) => {
    setStatus(s);
    setQuota(String(s.storage.quotaGb));
    setFloor(String(s.storage.minFreeMb));
  };
  useEffect(() => {
    loadRecordingStorage().then(received, (e: unknown) => setMessage({ kind: 'error', text: errorMessage(e) }));
  }, [loadRecordingStorage]);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const parsed = RecordingStorageSchema.safeParse({ quotaGb: Number(quota), minFreeMb: Number(floor) });
    if (quota.trim() === '' || floor.trim() === '' || !parsed.success) return setMessage({ kind: 'error', text: t.recording.badNumber });
    try {
      received(await saveRecordingStorage(parsed.data));
      setMessage({ kind: 'ok', text: t.recording.storageSaved });
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };
  const nameOf = (cameraId: string) => cameras.find((c) => c.id === cameraId)?.name ?? cameraId;
  const u = status?.usage;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="recording-storage">
      <h2 id={`${id}-title`}>{t.recording.storageTitle}</h2>
      <p className="muted small">{t.recording.storageHelp}</p>
      {u && (
        <p data-testid="recording-usage">{t.recording.usage(formatBytes(u.bytes), u.freeBytes === null ? null : formatBytes(u.freeBytes), u.segments)}</p>
      )}
      {u?.stoppedForSpace && (
        <p className="form__error" role="alert" data-testid="recording-stopped">
          {t.recording.stopped}
        </p>
      )}
      {u && u.cameras.length > 0 && (
        <ul className="small">
          {u.cameras.map((c) => (
            <li key={c.cameraId}>{t.recording.cameraUsage(nameOf(c.cameraId), formatBytes(c.bytes), c.recording)}</li>
          ))}
        </ul>
      )}
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <div className="form__row">
          <div className="field">
            <label htmlFor={`${id}-quota`}>{t.recording.quotaGb}</label>
            <input id={`${id}-quota`} type="number" min={0} step={1} inputMode="decimal" value={quota} data-testid="recording-quota" onChange={(e) => setQuota(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-floor`}>{t.recording.minFreeMb}</label>
            <input id={`${id}-floor`} type="number" min={0} step={256} inputMode="numeric" value={floor} data-testid="recording-floor" onChange={(e) => setFloor(e.target.value)} />
          </div>
        </div>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={!status} data-testid="recording-storage-save">
            {t.recording.storageSave}
          </button>
        </div>
      </form>
      {message && (
        <p className={message.kind === 'ok' ? 'muted small' : 'form__error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="recording-storage-message">
          {message.text}
        </p>
      )}
    </section>
  );
}
