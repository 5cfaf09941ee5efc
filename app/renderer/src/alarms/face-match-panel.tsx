import { useEffect, useState } from 'react';
import type { SystemAlarmDetail } from '../../../shared/domain/alarms';
import type { FaceMatchView } from '../../../shared/domain/faces';
import { errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { selectCameras } from '../store/cameras/cameras.selectors';
import { useActions, useRoot } from '../store/store';
import { cameraName } from './alarm-text';

type FaceMatchDetail = Extract<SystemAlarmDetail, { condition: 'face-match' }>;

/**
 * A watchlist match (alarm detail and monitor): the face the camera saw beside the enrolled photo, the likeness in
 * words, the camera and the person track, and the officer's confirm / reject (faces:match-decide, audited; it
 * feeds the entry's false-match rate). Opening it is a look at the watchlist: faces:match-get audits it.
 */
export function FaceMatchPanel({ detail }: { detail: FaceMatchDetail }) {
  const { loadFaceMatch, decideFaceMatch } = useActions();
  const cameras = useRoot(selectCameras);
  const [match, setMatch] = useState<FaceMatchView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const a = t.alarms;
  useEffect(() => {
    let stop = false;
    setMatch(null);
    setError(null);
    loadFaceMatch(detail.matchId)
      .then((m) => !stop && setMatch(m))
      .catch((e: unknown) => !stop && setError(errorMessage(e) || a.faceGone));
    return () => {
      stop = true;
    };
  }, [detail.matchId, loadFaceMatch, a.faceGone]);
  const decide = async (outcome: 'confirmed' | 'rejected') => {
    setBusy(true);
    try {
      setMatch(await decideFaceMatch(detail.matchId, outcome));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const similarity = match?.similarity ?? detail.similarity;
  return (
    <div className="system-figures face-match" data-testid="face-match" data-match-id={detail.matchId}>
      <div className="face-match__faces">
        <figure className="face-match__face">
          {match ? <img src={match.seenFace} alt={a.faceSeen} data-testid="face-match-seen" /> : <div className="face-match__placeholder" />}
          <figcaption>{a.faceSeen}</figcaption>
        </figure>
        <figure className="face-match__face">
          {match ? <img src={match.enrolledFace} alt={a.faceEnrolled} data-testid="face-match-enrolled" /> : <div className="face-match__placeholder" />}
          <figcaption>
            {a.faceEnrolled}: {detail.name} ({a.faceCategory[detail.category] ?? detail.category})
          </figcaption>
        </figure>
      </div>
      {!match && !error && <p className="muted small">{a.faceLoading}</p>}
      <dl className="system-figures__list">
        <div className="system-figures__row">
          <dt>{a.faceSimilarity}</dt>
          <dd data-testid="face-match-similarity">{a.faceSimilarityText(similarity)}</dd>
        </div>
        <div className="system-figures__row">
          <dt>{a.faceCamera}</dt>
          <dd data-testid="face-match-camera">{cameraName(cameras, detail.cameraId)}</dd>
        </div>
        <div className="system-figures__row">
          <dt>{a.faceTrack}</dt>
          <dd data-testid="face-match-track">{a.faceTrackText(detail.track)}</dd>
        </div>
      </dl>
      {match?.outcome ? (
        <p data-testid="face-match-outcome">{a.faceDecided(match.outcome, match.decidedBy ?? '')}</p>
      ) : (
        <>
          <p className="muted small">{a.faceHint}</p>
          <div className="row-actions">
            <button type="button" className="btn btn--primary" disabled={!match || busy} onClick={() => void decide('confirmed')} data-testid="face-match-confirm">
              {a.faceConfirm}
            </button>
            <button type="button" className="btn btn--danger-outline" disabled={!match || busy} onClick={() => void decide('rejected')} data-testid="face-match-reject">
              {a.faceReject}
            </button>
          </div>
        </>
      )}
      {error && (
        <p className="form__error" role="alert" data-testid="face-match-error">
          {error}
        </p>
      )}
    </div>
  );
}
