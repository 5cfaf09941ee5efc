import fs from 'node:fs/promises';
import type { BrowserWindow, Dialog, Shell } from 'electron';
import type { Envelope } from '../shared/ipc/envelope';
import type { DownloadTicket } from '../shared/ipc/downloads.contract';
import type { Logger } from '../engine/logging/logger';
import type { DownloadTickets } from '../engine/downloads/download-tickets';
import type { Dispatch } from '../engine/services/dispatcher';

export interface DesktopFilesOptions {
  /** The engine's dispatcher: `downloads:prepare` checks the role and the file before main touches it. */
  dispatch: Dispatch;
  downloads: Pick<DownloadTickets, 'redeem'>;
  dialog: Pick<Dialog, 'showSaveDialog'>;
  shell: Pick<Shell, 'openPath'>;
  /** The window the save dialog belongs to. */
  window: () => BrowserWindow | null;
  logger: Logger;
}

const fail = (code: 'internal' | 'not-found', message: string): Envelope<unknown> => ({ ok: false, error: { code, message } });

/**
 * Desktop (Electron) side of downloads: `downloads:save` asks where to save (the OS save dialog) and copies the
 * report there; `downloads:open` hands it to the program the OS uses for it. Both first go through the engine's
 * `downloads:prepare` (same role check and report-folder check as the browser host), then redeem the ticket for
 * the checked path. Every other channel goes to the engine unchanged.
 */
export function withDesktopFiles(o: DesktopFilesOptions): Dispatch {
  const log = o.logger.child({ component: 'desktop-files' });
  type Checked = { refused: Envelope<unknown>; found?: undefined } | { refused?: undefined; found: NonNullable<ReturnType<DesktopFilesOptions['downloads']['redeem']>> };
  const checked = async (input: unknown, ctx: Parameters<Dispatch>[2]): Promise<Checked> => {
    const file = input && typeof input === 'object' && 'file' in input ? (input as { file: unknown }).file : undefined;
    const prepared = await o.dispatch('downloads:prepare', { file }, ctx);
    if (!prepared.ok) return { refused: prepared };
    const found = o.downloads.redeem((prepared.value as DownloadTicket).ticket);
    return found ? { found } : { refused: fail('not-found', 'The file is not there any more.') };
  };
  return async (channel, input, ctx) => {
    if (channel === 'downloads:save') {
      const c = await checked(input, ctx);
      if (c.refused) return c.refused;
      const win = o.window();
      const options = { title: 'Save a copy', defaultPath: c.found.name, buttonLabel: 'Save' };
      const choice = win ? await o.dialog.showSaveDialog(win, options) : await o.dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return { ok: true, value: { saved: false, to: null } };
      try {
        await fs.copyFile(c.found.file, choice.filePath);
      } catch (err) {
        log.warn('save a copy failed', { err });
        return fail('internal', `Could not save the copy there: ${(err as Error).message}`);
      }
      return { ok: true, value: { saved: true, to: choice.filePath } };
    }
    if (channel === 'downloads:open') {
      const c = await checked(input, ctx);
      if (c.refused) return c.refused;
      const problem = await o.shell.openPath(c.found.file);
      if (problem) return fail('internal', `The computer could not open the file: ${problem}`);
      return { ok: true, value: { opened: true } };
    }
    return o.dispatch(channel, input, ctx);
  };
}
