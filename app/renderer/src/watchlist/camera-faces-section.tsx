import { useEffect, useId, useState } from 'react';
import { confirmCancelled, errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { useActions } from '../store/store';
import { noticeBlocks } from './watchlist-text';

/**
 * The camera form's Face matching switch (admins). Off by default; switching it on first shows the legal notice,
 * which must be accepted (faces:camera-set with noticeAccepted); switching off needs no notice. It saves at once
 * (after the password), beside the camera's own Save.
 */
export function CameraFacesSection({ cameraId }: { cameraId: string | null }) {
  const { loadCameraFaces, setCameraFaces } = useActions();
  const id = useId();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [accepted, setAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => {
    if (!cameraId) return;
    let live = true;
    loadCameraFaces(cameraId).then(
      (r) => {
        if (!live) return;
        setEnabled(r.enabled);
        setNotice(r.notice);
      },
      (e: unknown) => live && setMessage({ kind: 'error', text: errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [cameraId, loadCameraFaces]);

  const apply = async (on: boolean) => {
    if (!cameraId) return;
    setAsking(false);
    setBusy(true);
    setMessage(null);
    try {
      const now = await setCameraFaces(cameraId, on, on);
      setEnabled(now);
      setMessage({ kind: 'ok', text: now ? t.cameraFaces.on : t.cameraFaces.off });
    } catch (e) {
      if (!confirmCancelled(e)) setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
      setAccepted(false);
    }
  };

  return (
    <fieldset className="field" data-testid="camera-faces" aria-labelledby={`${id}-title`}>
      <legend id={`${id}-title`}>{t.cameraFaces.title}</legend>
      {!cameraId && <p className="muted small">{t.cameraFaces.newCamera}</p>}
      {cameraId && enabled !== null && (
        <>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={enabled}
              disabled={busy}
              aria-describedby={`${id}-hint`}
              data-testid="camera-faces-switch"
              onChange={(e) => {
                setMessage(null);
                if (e.target.checked) setAsking(true);
                else void apply(false);
              }}
            />
            <span>{t.cameraFaces.switchLabel}</span>
          </label>
          <p className="field__hint" id={`${id}-hint`}>
            {enabled ? t.cameraFaces.hintOn : t.cameraFaces.hintOff}
          </p>
        </>
      )}
      {message && (
        <p className={message.kind === 'ok' ? 'muted small' : 'field__error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="camera-faces-message">
          {message.text}
        </p>
      )}
      {asking && notice !== null && (
        <div
          className="lock-screen lock-screen--dialog"
          role="dialog"
          aria-modal="true"
          aria-labelledby={`${id}-notice-title`}
          aria-describedby={`${id}-notice-text`}
          data-testid="face-notice-dialog"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setAsking(false);
          }}
        >
          <div className="card form auth-card face-notice">
            <h2 id={`${id}-notice-title`}>{t.cameraFaces.noticeTitle}</h2>
            <div id={`${id}-notice-text`} className="face-notice__text" data-testid="face-notice-text">
              <NoticeText text={notice} />
            </div>
            <label className="switch">
              <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} autoFocus data-testid="face-notice-accept" />
              <span>{t.cameraFaces.accept}</span>
            </label>
            <div className="form__actions">
              <button type="button" className="btn btn--primary" disabled={!accepted} onClick={() => void apply(true)} data-testid="face-notice-confirm">
                {t.cameraFaces.switchOn}
              </button>
              <button type="button" className="btn" onClick={() => setAsking(false)} data-testid="face-notice-cancel">
                {t.cameraFaces.cancel}
              </button>
            </div>
          </div>
        </div>
      )}
    </fieldset>
  );
}

/** The notice's lines: a paragraph each, the "- " lines as a list (noticeBlocks). */
function NoticeText({ text }: { text: string }) {
  return (
    <>
      {noticeBlocks(text).map((b, i) =>
        Array.isArray(b) ? (
          <ul key={i}>
            {b.map((li) => (
              <li key={li}>{li}</li>
            ))}
          </ul>
        ) : (
          <p key={i}>{b}</p>
        ),
      )}
    </>
  );
}
