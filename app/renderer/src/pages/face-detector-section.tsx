import { useId } from 'react';
import { t } from '../i18n/en';
import { selectFaceDetector, selectModelsBusy } from '../store/app/app.selectors';
import { selectCan } from '../store/auth/auth.selectors';
import { useActions, useRoot } from '../store/store';

/**
 * Models → Face detector (watchlist): which face detector is in use, shipped or imported by an admin, with its
 * licence and provenance; an admin can remove an imported one to go back to the shipped one.
 */
export function FaceDetectorSection() {
  const fd = useRoot(selectFaceDetector);
  const busy = useRoot(selectModelsBusy);
  const canRemove = useRoot(selectCan('models:face-detector-remove'));
  const { removeImportedFaceDetector } = useActions();
  const id = useId();
  if (!fd) return null;
  const w = t.models.faceDetector;
  const source = fd.source === 'imported' ? w.imported : fd.source === 'shipped' ? w.shipped : w.noneInstalled;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="face-detector" data-source={fd.source} data-family={fd.family ?? ''}>
      <h2 id={`${id}-title`}>{w.title}</h2>
      <p className="muted small">{w.help}</p>
      <p>
        <strong data-testid="face-detector-name">{fd.name ?? '—'}</strong>{' '}
        <span className={`badge badge--${fd.source === 'none' ? 'bad' : 'ok'}`}>{source}</span>
      </p>
      {fd.licence && (
        <p className="small">
          {w.licence}: {fd.licence}
        </p>
      )}
      {fd.provenance && (
        <p className="small wrap" data-testid="face-detector-provenance">
          {w.provenance}: {fd.provenance}
        </p>
      )}
      {fd.family === 'ultraface' && <p className="banner banner--warn">{w.approximate}</p>}
      {fd.problem && (
        <p className="banner banner--bad" role="alert">
          {fd.problem}
        </p>
      )}
      {fd.source === 'imported' && canRemove && (
        <p>
          <button className="btn" disabled={busy} onClick={() => void removeImportedFaceDetector()} data-testid="face-detector-remove">
            {w.remove}
          </button>
        </p>
      )}
    </section>
  );
}
