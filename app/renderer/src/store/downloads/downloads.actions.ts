import { DOWNLOAD_PATH } from '../../../../shared/ipc/downloads.contract';
import type { StoreDeps } from '../store-deps';

/** What became of a download, save or open, for the line under the buttons. */
export type FileActionResult = { type: 'downloaded'; name: string } | { type: 'saved'; to: string } | { type: 'cancelled' } | { type: 'opened' };

export interface DownloadsActions {
  /**
   * Browser host: asks the engine for a ticket and lets the browser fetch `/download/<ticket>` from the host
   * (its token cookie goes with it), so the file lands in the browser's downloads.
   */
  downloadFile(file: string): Promise<FileActionResult>;
  /** Desktop app: the save dialog, then a copy where the officer chose. */
  saveFileCopy(file: string): Promise<FileActionResult>;
  /** Desktop app: opens the file with the program the computer uses for it. */
  openFile(file: string): Promise<FileActionResult>;
}

/** Errors are thrown (the component shows them in words). */
export function createDownloadsActions({ api }: StoreDeps): DownloadsActions {
  return {
    async downloadFile(file) {
      const { ticket, name } = await api.invoke('downloads:prepare', { file });
      const a = document.createElement('a');
      a.href = `${DOWNLOAD_PATH}${ticket}`;
      a.download = name;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
      return { type: 'downloaded', name };
    },
    async saveFileCopy(file) {
      const r = await api.invoke('downloads:save', { file });
      return r.saved && r.to ? { type: 'saved', to: r.to } : { type: 'cancelled' };
    },
    async openFile(file) {
      await api.invoke('downloads:open', { file });
      return { type: 'opened' };
    },
  };
}
