import { z } from 'zod';
import { invokeSpec } from './channel';

/**
 * Downloads: a generated report, CSV or export opened or saved from the app, in both hosts. The engine answers
 * only for files inside the report folders (the real path, links resolved), never an arbitrary path.
 * - Browser host: `downloads:prepare` gives a short-lived, single-use ticket; the browser then fetches
 *   `GET /download/<ticket>` from the host with the host's own token cookie.
 * - Desktop (Electron): main handles `downloads:save` (a save dialog, then a copy) and `downloads:open` (the OS
 *   opens the file with its usual program); both check the file through `downloads:prepare` first.
 */

/** A file the app wrote (the full path an export or a scheduled report reported). */
const FileInputSchema = z.object({ file: z.string().min(1).max(4096) });

export const DownloadTicketSchema = z.object({
  /** Single use; expires after DOWNLOAD_TICKET_MS. */
  ticket: z.string(),
  /** The file's name (what the browser saves it as). */
  name: z.string(),
  bytes: z.number().int().min(0),
});
export type DownloadTicket = z.infer<typeof DownloadTicketSchema>;

/** How long a download ticket stays valid (ms). */
export const DOWNLOAD_TICKET_MS = 2 * 60_000;
/** Path on the headless host that serves a ticket: `${DOWNLOAD_PATH}<ticket>`. */
export const DOWNLOAD_PATH = '/download/';

export const downloadsInvoke = {
  'downloads:prepare': invokeSpec(FileInputSchema, DownloadTicketSchema, 'Checks that a file is a report or export the app wrote and gives a single-use ticket to download it from the host.'),
  'downloads:save': invokeSpec(
    FileInputSchema,
    z.object({ saved: z.boolean(), to: z.string().nullable() }),
    'Desktop app: asks where to save a copy of a report or export (a save dialog) and copies it there; saved false when the officer cancelled.',
  ),
  'downloads:open': invokeSpec(FileInputSchema, z.object({ opened: z.boolean() }), 'Desktop app: opens a report or export with the program the computer uses for that kind of file.'),
} as const;
