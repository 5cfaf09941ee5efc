import { useEffect, useId, useState } from 'react';
import { t } from '../i18n/en';
import { selectReports } from '../store/reports/reports.selectors';
import { useActions, useRoot } from '../store/store';

/** Settings → Report folders (admin): the folders besides <data dir>/reports that reports may be written into. */
export function ReportFoldersSection() {
  const { folders, foldersError } = useRoot(selectReports);
  const { loadReportFolders, saveReportFolders } = useActions();
  const [draft, setDraft] = useState('');
  const [saved, setSaved] = useState(false);
  const id = useId();
  useEffect(() => void loadReportFolders(), [loadReportFolders]);
  const save = async (list: string[]) => {
    setSaved(false);
    const ok = await saveReportFolders(list);
    setSaved(ok);
    return ok;
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="report-folders">
      <h2 id={`${id}-title`}>{t.reports.foldersTitle}</h2>
      <p className="muted small">{t.reports.foldersHelp}</p>
      {folders && <p className="mono small">{t.reports.defaultFolder(folders.defaultFolder)}</p>}
      {folders && folders.folders.length === 0 && <p className="empty">{t.reports.foldersEmpty}</p>}
      {folders && folders.folders.length > 0 && (
        <table className="table">
          <tbody>
            {folders.folders.map((f) => (
              <tr key={f} data-testid="report-folder-row">
                <td className="mono small wrap">{f}</td>
                <td>
                  <button type="button" className="btn btn--danger-outline" onClick={() => void save(folders.folders.filter((x) => x !== f))}>
                    {t.reports.folderRemove}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!folders || !draft.trim()) return;
          void save([...folders.folders, draft.trim()]).then((ok) => ok && setDraft(''));
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-path`}>{t.reports.folderPath}</label>
          <input id={`${id}-path`} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="/srv/reports" />
        </div>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={!draft.trim() || !folders}>
            {t.reports.folderAdd}
          </button>
        </div>
      </form>
      {foldersError && (
        <p className="form__error" role="alert">
          {foldersError}
        </p>
      )}
      {saved && !foldersError && <p className="muted small">{t.reports.foldersSaved}</p>}
    </section>
  );
}
