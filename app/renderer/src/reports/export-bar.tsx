import { useEffect } from 'react';
import { t } from '../i18n/en';
import { selectLatestExport, selectReports } from '../store/reports/reports.selectors';
import { useActions, useRoot } from '../store/store';
import { FileActions } from './file-actions';

/** Export buttons, the progress bar of the running export (with Cancel) and its result. */
export function ExportBar() {
  const { exportReport, cancelExport, loadReportFolders, setExportFolder } = useActions();
  const latest = useRoot(selectLatestExport);
  const { exportError, model, loading, folders, exportFolder } = useRoot(selectReports);
  useEffect(() => void loadReportFolders(), [loadReportFolders]);
  const running = latest?.state === 'running';
  const disabled = !model || loading || running;
  return (
    <div className="export-bar" data-testid="export-bar">
      {folders && folders.folders.length > 0 && (
        <label className="small">
          {t.reports.exportFolder}{' '}
          <select value={exportFolder ?? ''} onChange={(e) => setExportFolder(e.target.value || null)} data-testid="export-folder">
            <option value="">{t.reports.defaultFolder(folders.defaultFolder)}</option>
            {folders.folders.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="btn btn--primary" disabled={disabled} onClick={() => void exportReport('pdf')} data-testid="export-pdf">
        {t.reports.exportPdf}
      </button>
      <button type="button" className="btn" disabled={disabled} onClick={() => void exportReport('csv')} data-testid="export-csv">
        {t.reports.exportCsv}
      </button>
      <button type="button" className="btn" disabled={disabled} onClick={() => void exportReport('csv', 'events')} data-testid="export-events">
        {t.reports.exportEvents}
      </button>
      {latest && running && (
        <span className="export-bar__progress">
          <progress max={1} value={latest.fraction} aria-label={t.reports.exporting(Math.round(latest.fraction * 100))} data-testid="export-progress" />
          <span className="muted small">{t.reports.exporting(Math.round(latest.fraction * 100))}</span>
          <button type="button" className="btn btn--danger-outline" onClick={() => void cancelExport(latest.exportId)} data-testid="export-cancel">
            {t.reports.cancel}
          </button>
        </span>
      )}
      {latest?.state === 'done' && (
        <span className="export-bar__result mono small" data-testid="export-result" data-state="done" data-file={latest.file ?? ''}>
          {t.reports.exportDone(latest.file ?? '')}
        </span>
      )}
      {latest?.state === 'done' && latest.file && <FileActions file={latest.file} />}
      {latest?.state === 'cancelled' && (
        <span className="export-bar__result muted" data-testid="export-result" data-state="cancelled">
          {t.reports.exportCancelled}
        </span>
      )}
      {latest?.state === 'failed' && (
        <span className="form__error" role="alert" data-testid="export-result" data-state="failed">
          {t.reports.exportFailed(latest.message ?? '')}
        </span>
      )}
      {exportError && (
        <span className="form__error" role="alert" data-testid="export-error">
          {exportError}
        </span>
      )}
    </div>
  );
}
