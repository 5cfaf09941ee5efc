import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DOWNLOAD_TICKET_MS, type DownloadTicket } from '../../shared/ipc/downloads.contract';
import { AppErrorException } from '../../shared/ipc/envelope';

/** A redeemed ticket: the real path of the file to send, its name and size when the ticket was made. */
export interface DownloadFile {
  file: string;
  name: string;
  bytes: number;
}

/** At most this many tickets wait at once (the oldest goes first). */
const MAX_TICKETS = 200;

const realpath = (p: string): string | null => {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
};

/** True when `file` is strictly inside `root` (both real paths). */
const inside = (root: string, file: string): boolean => {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * Tickets for downloads: a file is handed out only when its real path (links and `..` resolved) is a regular
 * file inside one of the allowed folders (the report folders, where reports, CSVs and exports are written).
 * Every refusal has the same words, whether the file exists or not, so a refusal tells nothing about the rest of
 * the disk. A ticket is random, single use and short-lived; the host redeems it for the path it checked.
 */
export class DownloadTickets {
  private readonly tickets = new Map<string, DownloadFile & { expires: number }>();

  constructor(
    /** The folders downloads may come from (read on every request: an admin may change them). */
    private readonly roots: () => readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Checks the file and issues a ticket for it. */
  prepare(requested: string): DownloadTicket {
    const f = this.check(requested);
    this.sweep();
    const ticket = crypto.randomBytes(24).toString('base64url');
    this.tickets.set(ticket, { ...f, expires: this.now() + DOWNLOAD_TICKET_MS });
    while (this.tickets.size > MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value!);
    return { ticket, name: f.name, bytes: f.bytes };
  }

  /** The file behind a ticket, once (null when unknown, used or expired; the file is checked again). */
  redeem(ticket: string): DownloadFile | null {
    const t = this.tickets.get(ticket);
    if (!t) return null;
    this.tickets.delete(ticket);
    if (t.expires < this.now()) return null;
    try {
      return this.check(t.file);
    } catch {
      return null;
    }
  }

  /** The real path, name and size of an allowed file; refuses everything else with one message. */
  check(requested: string): DownloadFile {
    const refuse = () =>
      new AppErrorException('forbidden', 'Only reports and exports Watchroom wrote into a report folder can be downloaded. Choose a report from the list.', { reason: 'not-a-report' });
    if (typeof requested !== 'string' || requested.includes('\0') || !path.isAbsolute(requested)) throw refuse();
    const real = realpath(path.resolve(requested));
    if (!real) throw refuse();
    const roots = this.roots()
      .map(realpath)
      .filter((r): r is string => r !== null);
    if (!roots.some((r) => inside(r, real))) throw refuse();
    let st: fs.Stats;
    try {
      st = fs.statSync(real);
    } catch {
      throw refuse();
    }
    if (!st.isFile()) throw refuse();
    return { file: real, name: path.basename(real), bytes: st.size };
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, v] of this.tickets) if (v.expires < now) this.tickets.delete(k);
  }
}
