import { useCallback, useEffect, useId, useState } from 'react';
import { FACE_CATEGORIES, type FaceCategory, type WatchlistEntryView } from '../../../shared/domain/faces';
import { confirmCancelled, errorMessage } from '../api/api-error';
import { usePermission } from '../auth/permission';
import { t } from '../i18n/en';
import { selectTimeZone } from '../store/alarms/alarms.selectors';
import { useActions, useRoot } from '../store/store';
import { downloadText } from '../shell/download-text';
import { EnrolForm } from './enrol-form';
import { expiryDay, exportFileName, isExpired, thresholdWords } from './watchlist-text';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/**
 * Supervisors: the face watchlist (each opening is a look the engine audits), enrolment, export and erasure of a
 * person's entry (data-subject requests), removal, and the similarity each category needs to match.
 */
export function WatchlistPage() {
  const { loadWatchlist } = useActions();
  const [entries, setEntries] = useState<WatchlistEntryView[] | null>(null);
  const [thresholds, setThresholds] = useState<Record<FaceCategory, number> | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const canEnrol = usePermission('faces:enrol');
  const canList = usePermission('faces:list');
  const reload = useCallback(async () => {
    if (!canList.allowed) return;
    try {
      const r = await loadWatchlist();
      setEntries(r.entries);
      setThresholds(r.thresholds);
    } catch (e) {
      setNotice({ kind: 'error', text: errorMessage(e) });
    }
  }, [loadWatchlist, canList.allowed]);
  useEffect(() => void reload(), [reload]);

  return (
    <section className="page page--watchlist" aria-labelledby="watchlist-title" data-testid="watchlist-page">
      <div className="toolbar">
        <h1 id="watchlist-title" className="page__title">
          {t.watchlist.title}
        </h1>
        {!enrolling && canList.allowed && (
          <button type="button" className="btn btn--primary" disabled={!canEnrol.allowed} title={canEnrol.reason || undefined} onClick={() => setEnrolling(true)} data-testid="watchlist-add">
            {t.watchlist.add}
          </button>
        )}
      </div>
      <p className="muted watchlist__intro">{t.watchlist.intro}</p>
      {!canList.allowed && (
        <p className="banner banner--warn" role="alert" data-testid="watchlist-not-allowed">
          {canList.reason}
        </p>
      )}
      {notice && (
        <p className={notice.kind === 'ok' ? 'banner banner--ok' : 'banner banner--bad'} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="watchlist-notice">
          {notice.text}
        </p>
      )}
      {enrolling && (
        <EnrolForm
          onCancel={() => setEnrolling(false)}
          onEnrolled={(entry) => {
            setEnrolling(false);
            setNotice({ kind: 'ok', text: t.watchlist.enrol.done(entry.name) });
            void reload();
          }}
        />
      )}
      {!canList.allowed ? null : entries === null ? (
        <p className="muted">{t.watchlist.loading}</p>
      ) : entries.length === 0 ? (
        <p className="muted" data-testid="watchlist-empty">
          {t.watchlist.empty}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="watchlist-table">
            <thead>
              <tr>
                <th scope="col">{t.watchlist.colName}</th>
                <th scope="col">{t.watchlist.colCategory}</th>
                <th scope="col">{t.watchlist.colExpiry}</th>
                <th scope="col">{t.watchlist.colPhotos}</th>
                <th scope="col">{t.watchlist.colMatches}</th>
                <th scope="col">{t.watchlist.colActions}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <EntryRow key={e.id} entry={e} onNotice={setNotice} onChanged={() => void reload()} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {thresholds && <ThresholdsCard thresholds={thresholds} onSaved={setThresholds} onNotice={setNotice} />}
    </section>
  );
}

/** One person on the list: what is kept, how their matches went, and Export / Remove / Erase. */
function EntryRow({ entry: e, onNotice, onChanged }: { entry: WatchlistEntryView; onNotice: (n: Notice) => void; onChanged: () => void }) {
  const tz = useRoot(selectTimeZone);
  const { exportWatchlistEntry, removeFromWatchlist, eraseFromWatchlist } = useActions();
  const [confirming, setConfirming] = useState<'remove' | 'erase' | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = isExpired(e.expiresAt, Date.now());
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    onNotice(null);
    try {
      onNotice({ kind: 'ok', text: await work() });
      setConfirming(null);
    } catch (err) {
      if (!confirmCancelled(err)) onNotice({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const exportEntry = () =>
    run(async () => {
      const data = await exportWatchlistEntry(e.id);
      const file = exportFileName(e.name, Date.now());
      downloadText(file, JSON.stringify({ exportedAt: new Date().toISOString(), ...data }, null, 2), 'application/json');
      return t.watchlist.exported(file);
    });
  const remove = () =>
    run(async () => {
      await removeFromWatchlist(e.id);
      onChanged();
      return t.watchlist.removed(e.name);
    });
  const erase = () =>
    run(async () => {
      const { matches } = await eraseFromWatchlist(e.id);
      onChanged();
      return t.watchlist.erased(e.name, matches);
    });
  return (
    <tr data-testid="watchlist-row" data-entry-id={e.id} data-expired={expired ? 'true' : 'false'} aria-busy={busy} className={expired ? 'watchlist-row--expired' : undefined}>
      <th scope="row">
        <span data-testid="watchlist-name">{e.name}</span>
        <span className="small muted watchlist__who">{t.watchlist.enrolledBy(e.enrolledBy, e.approvedBy)}</span>
      </th>
      <td>{t.watchlist.categories[e.category] ?? e.category}</td>
      <td>
        {e.expiresAt === null ? (
          t.watchlist.noExpiry
        ) : expired ? (
          <span className="badge badge--warn" data-testid="watchlist-expired" title={t.watchlist.expiredOn(expiryDay(e.expiresAt, tz))}>
            {t.watchlist.expiredOn(expiryDay(e.expiresAt, tz))}
          </span>
        ) : (
          t.watchlist.until(expiryDay(e.expiresAt, tz))
        )}
      </td>
      <td>{t.watchlist.photos(e.photos)}</td>
      <td data-testid="watchlist-rate">{t.watchlist.falseRate(e.confirmed, e.rejected, e.falseMatchRate)}</td>
      <td>
        {confirming ? (
          <span className="watchlist__confirm" role="alertdialog" aria-label={confirming === 'remove' ? t.watchlist.confirmRemove(e.name) : t.watchlist.confirmErase(e.name)}>
            <span>{confirming === 'remove' ? t.watchlist.confirmRemove(e.name) : t.watchlist.confirmErase(e.name)}</span>
            <span className="row-actions">
              <button type="button" className="btn btn--danger" disabled={busy} onClick={() => void (confirming === 'remove' ? remove() : erase())} data-testid={`watchlist-${confirming}-yes`}>
                {confirming === 'remove' ? t.watchlist.removeYes : t.watchlist.eraseYes}
              </button>
              <button type="button" className="btn" autoFocus disabled={busy} onClick={() => setConfirming(null)}>
                {t.watchlist.keep}
              </button>
            </span>
          </span>
        ) : (
          <div className="row-actions">
            <button type="button" className="btn" disabled={busy} title={t.watchlist.exportHelp} onClick={() => void exportEntry()} data-testid="watchlist-export">
              {t.watchlist.exportEntry}
            </button>
            <button type="button" className="btn" disabled={busy} title={t.watchlist.removeHelp} onClick={() => setConfirming('remove')} data-testid="watchlist-remove">
              {t.watchlist.remove}
            </button>
            <button type="button" className="btn btn--danger-outline" disabled={busy} title={t.watchlist.eraseHelp} onClick={() => setConfirming('erase')} data-testid="watchlist-erase">
              {t.watchlist.erase}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

/** The similarity each category needs, with its meaning in words, read from the value as it is typed. */
function ThresholdsCard({ thresholds, onSaved, onNotice }: { thresholds: Record<FaceCategory, number>; onSaved: (t: Record<FaceCategory, number>) => void; onNotice: (n: Notice) => void }) {
  const id = useId();
  const { setFaceThreshold } = useActions();
  const [drafts, setDrafts] = useState<Partial<Record<FaceCategory, string>>>({});
  const [busy, setBusy] = useState<FaceCategory | null>(null);
  const save = async (c: FaceCategory, value: number) => {
    setBusy(c);
    onNotice(null);
    try {
      const next = await setFaceThreshold(c, value);
      onSaved(next);
      setDrafts(({ [c]: _drop, ...rest }) => rest);
      onNotice({ kind: 'ok', text: t.watchlist.thresholdSaved(t.watchlist.categories[c] ?? c, thresholdWords(next[c])) });
    } catch (err) {
      if (!confirmCancelled(err)) onNotice({ kind: 'error', text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card watchlist__thresholds" aria-labelledby={`${id}-title`} data-testid="watchlist-thresholds">
      <h2 id={`${id}-title`}>{t.watchlist.thresholdsTitle}</h2>
      <p className="muted small">{t.watchlist.thresholdsIntro}</p>
      <ul className="threshold-list">
        {FACE_CATEGORIES.map((c) => {
          const text = drafts[c] ?? thresholds[c].toFixed(2);
          const value = Number(text);
          const valid = text.trim() !== '' && Number.isFinite(value) && value >= 0.4 && value <= 0.95;
          const changed = valid && Math.abs(value - thresholds[c]) > 1e-9;
          return (
            <li key={c} className="threshold" data-testid="threshold" data-category={c}>
              <label htmlFor={`${id}-${c}`}>{t.watchlist.threshold(t.watchlist.categories[c] ?? c)}</label>
              <input
                id={`${id}-${c}`}
                type="number"
                min={0.4}
                max={0.95}
                step={0.01}
                inputMode="decimal"
                value={text}
                aria-describedby={`${id}-${c}-words`}
                onChange={(e) => setDrafts((d) => ({ ...d, [c]: e.target.value }))}
                data-testid="threshold-input"
              />
              <span id={`${id}-${c}-words`} className={valid ? 'threshold__words' : 'field__error'} data-testid="threshold-words">
                {valid ? thresholdWords(value) : t.watchlist.thresholdRange}
              </span>
              <button type="button" className="btn btn--small" disabled={!changed || busy !== null} onClick={() => void save(c, value)} data-testid="threshold-save">
                {t.watchlist.thresholdSave}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
