import { useEffect, useState } from 'react';
import type { EvidenceProgress, EvidenceVerify } from '../../../shared/domain/evidence';
import { t } from '../i18n/en';
import { useActions } from '../store/store';

const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
};

/** Evidence export of the cameras shown (supervisors) and Verify of an export folder. */
export function EvidenceExportPanel({ cameraIds, atMs }: { cameraIds: string[]; atMs: number }) {
  const { startEvidenceExport, cancelEvidenceExport, verifyEvidence, onEvidenceProgress } = useActions();
  const [from, setFrom] = useState(() => localInput(atMs));
  const [to, setTo] = useState(() => localInput(atMs + 20_000));
  const [reason, setReason] = useState('');
  const [folder, setFolder] = useState('');
  const [withoutMasks, setWithoutMasks] = useState(false);
  const [job, setJob] = useState<string | null>(null);
  const [progress, setProgress] = useState<EvidenceProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verifyFolder, setVerifyFolder] = useState('');
  const [verified, setVerified] = useState<EvidenceVerify | null>(null);

  useEffect(() => onEvidenceProgress((p) => p.exportId === job && setProgress(p)), [job, onEvidenceProgress]);

  const start = async () => {
    setError(null);
    setProgress(null);
    try {
      const r = await startEvidenceExport({ cameraIds, from: Date.parse(from), to: Date.parse(to), reason, folder: folder.trim() || undefined }, withoutMasks);
      setJob(r.exportId);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const running = progress?.state === 'running' || (job !== null && progress === null);
  return (
    <details className="side-card evidence-export" data-testid="evidence-export">
      <summary>{t.playback.export}</summary>
      <p className="muted small">{t.playback.exportHint}</p>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label>
          {t.playback.from}
          <input type="datetime-local" step="1" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="evidence-from" />
        </label>
        <label>
          {t.playback.to}
          <input type="datetime-local" step="1" value={to} onChange={(e) => setTo(e.target.value)} data-testid="evidence-to" />
        </label>
        <label>
          {t.playback.reason}
          <input type="text" required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="evidence-reason" />
        </label>
        <label>
          {t.playback.folder}
          <input type="text" value={folder} onChange={(e) => setFolder(e.target.value)} data-testid="evidence-folder" />
        </label>
        <label className="check">
          <input type="checkbox" checked={withoutMasks} onChange={(e) => setWithoutMasks(e.target.checked)} data-testid="evidence-without-masks" />
          {t.playback.withoutMasks}
        </label>
        <div className="row-actions">
          <button type="submit" className="btn btn--primary" disabled={running || !reason.trim()} data-testid="evidence-start">
            {t.playback.start}
          </button>
          {running && job && (
            <button type="button" className="btn" onClick={() => void cancelEvidenceExport(job)} data-testid="evidence-cancel">
              {t.playback.cancel}
            </button>
          )}
        </div>
      </form>
      {running && <progress max={1} value={progress?.fraction ?? 0} data-testid="evidence-progress" />}
      {running && <p className="muted small">{t.playback.running(Math.round((progress?.fraction ?? 0) * 100))}</p>}
      {progress?.state === 'done' && progress.folder && <p data-testid="evidence-done">{t.playback.done(progress.folder)}</p>}
      {(progress?.state === 'failed' || progress?.state === 'cancelled') && <p className="error">{progress.message}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          setVerified(null);
          verifyEvidence(verifyFolder.trim() || progress?.folder || '')
            .then(setVerified)
            .catch((err: Error) => setError(err.message));
        }}
      >
        <label>
          {t.playback.verifyFolder}
          <input type="text" value={verifyFolder} placeholder={progress?.folder ?? ''} onChange={(e) => setVerifyFolder(e.target.value)} data-testid="evidence-verify-folder" />
        </label>
        <button type="submit" className="btn" data-testid="evidence-verify">
          {t.playback.verifyButton}
        </button>
      </form>
      {verified && (
        <p className={verified.state === 'intact' ? 'ok' : 'error'} role="status" data-testid="evidence-verified" data-state={verified.state}>
          {verified.message}
        </p>
      )}
    </details>
  );
}
