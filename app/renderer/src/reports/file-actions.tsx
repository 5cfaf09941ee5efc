import { useState } from 'react';
import { errorMessage } from '../api/api-error';
import { t } from '../i18n/en';
import { selectAppInfo } from '../store/app/app.selectors';
import { selectCan } from '../store/auth/auth.selectors';
import type { FileActionResult } from '../store/downloads/downloads.actions';
import { useActions, useRoot } from '../store/store';

/**
 * Buttons for a file the app wrote (a report, a CSV, an export): in the browser, Download (through the host);
 * in the desktop app, Save a copy… (a save dialog) and Open (with the computer's usual program).
 */
export function FileActions({ file }: { file: string }) {
  const info = useRoot(selectAppInfo);
  const can = useRoot(selectCan('downloads:prepare'));
  const { downloadFile, saveFileCopy, openFile } = useActions();
  const [result, setResult] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!can || !info) return null;
  const run = async (fn: () => Promise<FileActionResult>) => {
    setBusy(true);
    setResult(null);
    try {
      const r = await fn();
      setResult({ tone: 'ok', text: t.reports.fileResult(r) });
    } catch (e) {
      setResult({ tone: 'bad', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row-actions" data-testid="file-actions">
      {info.host === 'electron' ? (
        <>
          <button type="button" className="btn" disabled={busy} onClick={() => void run(() => saveFileCopy(file))} data-testid="file-save">
            {t.reports.fileSave}
          </button>
          <button type="button" className="btn" disabled={busy} onClick={() => void run(() => openFile(file))} data-testid="file-open">
            {t.reports.fileOpen}
          </button>
        </>
      ) : (
        <button type="button" className="btn" disabled={busy} onClick={() => void run(() => downloadFile(file))} data-testid="file-download">
          {t.reports.fileDownload}
        </button>
      )}
      {result && (
        <span className={result.tone === 'bad' ? 'form__error small' : 'muted small'} role={result.tone === 'bad' ? 'alert' : 'status'} data-testid="file-result">
          {result.text}
        </span>
      )}
    </span>
  );
}
