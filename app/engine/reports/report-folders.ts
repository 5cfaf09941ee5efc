import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ReportFolders as ReportFoldersView } from '../../shared/domain/reports';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { SettingsRepository } from '../storage/settings.repository';

/** Setting holding the folders an admin added (full, resolved paths). */
export const REPORT_FOLDERS_KEY = 'reports.folders';
/** At most this many added folders. */
export const MAX_REPORT_FOLDERS = 20;

const StoredFoldersSchema = z.array(z.string().min(1).max(1000)).max(MAX_REPORT_FOLDERS);

const realpath = (p: string): string | null => {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
};

/**
 * Where reports (exports and scheduled runs) may be written: the default folder `<data dir>/reports` and the
 * folders an admin added (`reports:folders-set`). A requested folder is compared by its real path (symbolic
 * links and `..` resolved) with the allowed ones; anything else is refused with the same words whether it
 * exists or not, so a refusal tells nothing about the rest of the disk. Nothing is ever created here except
 * the default folder inside the data directory.
 */
export class ReportFolders {
  constructor(
    private readonly settings: SettingsRepository,
    /** `<data dir>/reports`. */
    readonly defaultFolder: string,
  ) {}

  view(): ReportFoldersView {
    return { defaultFolder: this.defaultFolder, folders: this.added() };
  }

  /** Replaces the added folders (admin). Each must be a full path to an existing folder the app can write to. */
  set(folders: string[]): ReportFoldersView {
    const out: string[] = [];
    for (const raw of folders) {
      const f = raw.trim();
      if (!path.isAbsolute(f)) throw new AppErrorException('invalid-input', `Give the folder as a full path: "${f}".`);
      const real = realpath(f);
      if (!real || !fs.statSync(real).isDirectory()) throw new AppErrorException('invalid-input', `"${f}" is not an existing folder. Create it first (Watchroom creates no folders).`);
      try {
        fs.accessSync(real, fs.constants.W_OK);
      } catch {
        throw new AppErrorException('invalid-input', `Watchroom cannot write to "${f}". Give the app's user write access first.`);
      }
      if (real !== realpath(this.defaultFolder) && !out.includes(real)) out.push(real);
    }
    if (out.length > MAX_REPORT_FOLDERS) throw new AppErrorException('invalid-input', `At most ${MAX_REPORT_FOLDERS} report folders.`);
    this.settings.set(REPORT_FOLDERS_KEY, out);
    return this.view();
  }

  /**
   * The folder to write into: the default one when none is asked for, else the allowed folder the request
   * names (its real path). Refuses everything else without saying whether it exists.
   */
  resolve(requested?: string): string {
    if (requested === undefined || path.resolve(requested) === this.defaultFolder) return this.ensureDefault();
    if (!path.isAbsolute(requested)) throw new AppErrorException('invalid-input', 'Give the destination folder as a full path.');
    const real = realpath(path.resolve(requested));
    if (real) {
      if (real === realpath(this.defaultFolder)) return real;
      for (const f of this.added()) if (realpath(f) === real) return real;
    }
    const allowed = [this.defaultFolder, ...this.added()];
    if (allowed.includes(path.resolve(requested))) {
      throw new AppErrorException('invalid-input', `The report folder "${path.resolve(requested)}" is not available any more (removed or renamed). Ask an admin to check it under Settings → Report folders.`);
    }
    throw new AppErrorException('forbidden', `Reports are written only to the report folders an admin allowed: ${allowed.join(', ')}. Choose one of these, or ask an admin to add a folder (Settings → Report folders).`, { reason: 'folder' });
  }

  /** Every folder reports may be in: the default one and those an admin added (for downloads). */
  roots(): string[] {
    return [this.defaultFolder, ...this.added()];
  }

  private added(): string[] {
    return this.settings.get(REPORT_FOLDERS_KEY, StoredFoldersSchema) ?? [];
  }

  /** `<data dir>/reports`, created inside the data directory on first use (the only folder created for reports). */
  private ensureDefault(): string {
    try {
      fs.mkdirSync(this.defaultFolder, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return this.defaultFolder;
  }
}
