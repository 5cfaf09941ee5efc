import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { downloadsInvoke } from '../../shared/ipc/downloads.contract';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { DownloadTickets } from './download-tickets';

const desktopOnly = (): never => {
  throw new AppErrorException('unavailable', 'Saving to a chosen place and opening with another program work in the desktop app. In the browser, use Download.');
};

/**
 * The downloads area: tickets for the browser host. `downloads:save` and `downloads:open` are answered by the
 * desktop app's main process (app/main/desktop-files.ts) before they reach the engine; here they only explain.
 */
export function downloadsHandlers(tickets: DownloadTickets): AreaHandlers<typeof downloadsInvoke> {
  return {
    'downloads:prepare': ({ file }) => tickets.prepare(file),
    'downloads:save': desktopOnly,
    'downloads:open': desktopOnly,
  };
}
