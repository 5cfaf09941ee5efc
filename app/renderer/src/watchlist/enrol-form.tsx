import { useId, useState, type FormEvent } from 'react';
import { FACE_CATEGORIES, type FaceCategory, type WatchlistEntryView } from '../../../shared/domain/faces';
import { confirmCancelled, errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { base64Of, MAX_ENROL_CHARS, readPhoto, type PickedPhoto } from './photo-files';
import { expiryIso, refusedPhotoIndex } from './watchlist-text';

const MAX_PHOTOS = 10;

/**
 * Enrol a person: name, category, expiry and photos picked from disk, with previews. The engine checks each photo
 * for exactly one usable face; a refusal names the photo, and the message is shown under that photo. The guarded
 * API asks for the password, or for a second person where the security policy wants four eyes on enrolment.
 */
export function EnrolForm({ onEnrolled, onCancel }: { onEnrolled: (entry: WatchlistEntryView) => void; onCancel: () => void }) {
  const { enrolPerson } = useActions();
  const tz = useRoot(selectTimeZone);
  const id = useId();
  const [name, setName] = useState('');
  const [category, setCategory] = useState<FaceCategory>('banned');
  const [expiry, setExpiry] = useState('');
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  /** The engine's refusal of one photo, by the photo's key. */
  const [refused, setRefused] = useState<{ key: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const pick = async (files: FileList | null) => {
    if (!files?.length) return;
    const read = await Promise.all([...files].map(readPhoto));
    setPhotos((p) => [...p, ...read].slice(0, MAX_PHOTOS));
    setError(photos.length + read.length > MAX_PHOTOS ? t.watchlist.enrol.tooMany : null);
  };
  const drop = (key: string) => {
    setPhotos((p) => p.filter((x) => x.key !== key));
    if (refused?.key === key) setRefused(null);
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) return setError(t.watchlist.enrol.needName);
    if (!photos.length) return setError(t.watchlist.enrol.needPhoto);
    if (photos.some((p) => !p.dataUrl)) return setError(t.watchlist.enrol.refusedPhoto(photos.findIndex((p) => !p.dataUrl) + 1));
    const expiresAt = expiryIso(expiry, tz);
    if (expiry && (!expiresAt || Date.parse(expiresAt) <= Date.now())) return setError(t.watchlist.enrol.pastExpiry);
    const bodies = photos.map((p) => base64Of(p.dataUrl!));
    if (bodies.reduce((n, b) => n + b.length, 0) > MAX_ENROL_CHARS) return setError(t.watchlist.enrol.tooLarge);
    setBusy(true);
    setRefused(null);
    try {
      const entry = await enrolPerson({ name: name.trim(), category, expiresAt, photos: bodies });
      onEnrolled(entry);
    } catch (err) {
      if (confirmCancelled(err)) return;
      const message = errorMessage(err);
      const i = refusedPhotoIndex(message);
      const photo = i !== null ? photos[i] : undefined;
      if (photo) {
        setRefused({ key: photo.key, message });
        setError(t.watchlist.enrol.refusedPhoto(i! + 1));
      } else setError(message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card form enrol-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`} data-testid="enrol-form" aria-busy={busy}>
      <h2 id={`${id}-title`}>{t.watchlist.enrol.title}</h2>
      {error && (
        <p className="form__error" role="alert" data-testid="enrol-error">
          {error}
        </p>
      )}
      <div className="form__row">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t.watchlist.enrol.name}</label>
          <input id={`${id}-name`} name="name" autoComplete="off" maxLength={120} value={name} onChange={(e) => setName(e.target.value)} required data-testid="enrol-name" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>{t.watchlist.enrol.category}</label>
          <select id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value as FaceCategory)} data-testid="enrol-category">
            {FACE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t.watchlist.categories[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-expiry`}>{t.watchlist.enrol.expiry}</label>
          <input id={`${id}-expiry`} type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} aria-describedby={`${id}-expiry-hint`} data-testid="enrol-expiry" />
          <p className="field__hint" id={`${id}-expiry-hint`}>
            {t.watchlist.enrol.expiryHint}
          </p>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-photos`}>{t.watchlist.enrol.photos}</label>
        <input
          id={`${id}-photos`}
          type="file"
          accept="image/*"
          multiple
          aria-describedby={`${id}-photos-hint`}
          data-testid="enrol-photos"
          onChange={(e) => {
            const input = e.currentTarget;
            void pick(input.files).then(() => {
              input.value = '';
            });
          }}
        />
        <p className="field__hint" id={`${id}-photos-hint`}>
          {t.watchlist.enrol.photosHint}
        </p>
      </div>
      {photos.length > 0 && (
        <ol className="photo-list" aria-label={t.watchlist.enrol.photos} data-testid="enrol-previews">
          {photos.map((p, i) => {
            const problem = !p.dataUrl ? t.watchlist.enrol.notPicture : refused?.key === p.key ? refused.message : null;
            return (
              <li key={p.key} className={`photo${problem ? ' photo--refused' : ''}`} data-testid="enrol-preview" data-refused={problem ? 'true' : 'false'}>
                <span className="photo__label">{t.watchlist.enrol.photoLabel(i + 1)}</span>
                {p.dataUrl ? <img className="photo__img" src={p.dataUrl} alt={t.watchlist.enrol.photoAlt(i + 1, p.file)} /> : <span className="photo__img photo__img--none">{p.file}</span>}
                <span className="photo__file small muted">{p.file}</span>
                {problem && (
                  <span className="field__error" data-testid="enrol-photo-error">
                    {problem}
                  </span>
                )}
                <button type="button" className="btn btn--small" onClick={() => drop(p.key)} aria-label={t.watchlist.enrol.removePhoto(i + 1)}>
                  {t.watchlist.remove}
                </button>
              </li>
            );
          })}
        </ol>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="enrol-submit">
          {busy ? t.watchlist.enrol.working : t.watchlist.enrol.submit}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          {t.watchlist.enrol.cancel}
        </button>
      </div>
    </form>
  );
}
