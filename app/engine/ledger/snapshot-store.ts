import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import type { Box } from '../../shared/domain/detection';
import type { Logger } from '../logging/logger';
import { ensurePrivateDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/private-files';

/** Options of the snapshot store. */
export interface SnapshotStoreOptions {
  /** Data directory; snapshots live in `<dataDir>/snapshots`. */
  dataDir: string;
  /** Total size cap in bytes; the oldest snapshots are deleted first beyond it (default 2 GiB). */
  maxBytes?: number;
  /** Snapshots waiting to be drawn and written beyond this are dropped (default 32). */
  maxPending?: number;
  /** JPEG quality 1..100 (default 80). */
  quality?: number;
  logger: Logger;
}

const REL_RE = /^(\d{4}-\d{2}-\d{2})\/([0-9A-HJKMNP-TV-Z]{26})\.jpg$/;

/**
 * Event snapshots: `<dataDir>/snapshots/YYYY-MM-DD/<eventId>.jpg` (UTC date of the frame), the event's box drawn
 * on the frame. Writing is asynchronous and serial (one at a time, off the caller's stack), at most one per
 * event; only paths of that exact shape are ever resolved, so nothing outside the folder can be reached.
 */
export class SnapshotStore {
  readonly root: string;
  private readonly maxBytes: number;
  private readonly maxPending: number;
  private readonly quality: number;
  private pending = 0;
  private chain: Promise<void> = Promise.resolve();
  private totalBytes: number | null = null;

  constructor(private readonly options: SnapshotStoreOptions) {
    this.root = path.resolve(options.dataDir, 'snapshots');
    // Snapshots show people: the folder and every file in it are private to the user (POSIX 0700/0600).
    ensurePrivateDir(this.root);
    this.maxBytes = options.maxBytes ?? 2 * 1024 ** 3;
    this.maxPending = options.maxPending ?? 32;
    this.quality = options.quality ?? 80;
  }

  /** The relative reference stored in the ledger for an event id and frame time. */
  static relativePath(eventId: string, frameMs: number): string {
    return `${new Date(frameMs).toISOString().slice(0, 10)}/${eventId}.jpg`;
  }

  /** Absolute path of a stored reference, or null when the reference is not one this store produces. */
  resolve(rel: string): string | null {
    if (!REL_RE.test(rel)) return null;
    const abs = path.resolve(this.root, rel);
    return abs.startsWith(this.root + path.sep) ? abs : null;
  }

  /**
   * Queues drawing `box` on `frame` and writing it under `rel`. Returns a promise of whether it was written
   * (false: dropped because the queue is full, an invalid reference, or an error, which is logged).
   */
  save(rel: string, frame: Uint8Array, box: Box | null): Promise<boolean> {
    const abs = this.resolve(rel);
    if (!abs || this.pending >= this.maxPending) return Promise.resolve(false);
    this.pending++;
    const job = this.chain.then(async () => {
      await new Promise((r) => setImmediate(r));
      try {
        if (fs.existsSync(abs)) return false;
        const data = drawBox(frame, box, this.quality);
        await fs.promises.mkdir(path.dirname(abs), { recursive: true, mode: PRIVATE_DIR_MODE });
        const tmp = `${abs}.tmp`;
        await fs.promises.writeFile(tmp, data, { mode: PRIVATE_FILE_MODE });
        await fs.promises.rename(tmp, abs);
        await this.account(data.length);
        return true;
      } catch (err) {
        this.options.logger.warn('snapshot not written', { rel, err });
        return false;
      } finally {
        this.pending--;
      }
    });
    this.chain = job.then(() => undefined);
    return job;
  }

  /** Resolves when every queued snapshot has been handled. */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Files were removed from outside (retention): the size is counted again before the next cap check. */
  invalidateSize(): void {
    this.totalBytes = null;
  }

  /** Current total size of the snapshots folder in bytes. */
  sizeBytes(): number {
    return this.files().reduce((s, f) => s + f.size, 0);
  }

  private async account(added: number): Promise<void> {
    if (this.totalBytes === null) this.totalBytes = this.files(true).reduce((t, f) => t + f.size, 0);
    else this.totalBytes += added;
    if (this.totalBytes <= this.maxBytes) return;
    const files = this.files(); // oldest first: by day folder, then ULID name (time-sortable)
    let total = files.reduce((s, f) => s + f.size, 0);
    for (const f of files) {
      if (total <= this.maxBytes) break;
      await fs.promises.rm(f.abs, { force: true });
      total -= f.size;
    }
    this.totalBytes = total;
  }

  private files(cleanTmp = false): Array<{ abs: string; size: number }> {
    const out: Array<{ abs: string; size: number; key: string }> = [];
    let days: string[];
    try {
      days = fs.readdirSync(this.root).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
    } catch {
      return [];
    }
    for (const d of days) {
      for (const f of fs.readdirSync(path.join(this.root, d))) {
        if (cleanTmp && f.endsWith('.jpg.tmp')) {
          // Left by a crash mid-write (writes are serial, so none is in progress while this runs).
          fs.rmSync(path.join(this.root, d, f), { force: true });
          continue;
        }
        if (!REL_RE.test(`${d}/${f}`)) continue;
        const abs = path.join(this.root, d, f);
        out.push({ abs, size: fs.statSync(abs).size, key: `${d}/${f}` });
      }
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/** Decodes a JPEG, draws a box outline (normalised coordinates) in a high-visibility colour, re-encodes it. */
export function drawBox(frame: Uint8Array, box: Box | null, quality = 80): Buffer {
  const img = jpeg.decode(frame, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
  if (box) {
    const { width: w, height: h, data } = img;
    const t = Math.max(2, Math.round(Math.min(w, h) / 240));
    const clampX = (v: number) => Math.min(w - 1, Math.max(0, Math.round(v * w)));
    const clampY = (v: number) => Math.min(h - 1, Math.max(0, Math.round(v * h)));
    const [x1, y1, x2, y2] = [clampX(box[0]), clampY(box[1]), clampX(box[2]), clampY(box[3])];
    const fill = (ax: number, ay: number, bx: number, by: number) => {
      for (let y = Math.max(0, ay); y <= Math.min(h - 1, by); y++) {
        for (let x = Math.max(0, ax); x <= Math.min(w - 1, bx); x++) {
          const i = (y * w + x) * 4;
          data[i] = 255;
          data[i + 1] = 200;
          data[i + 2] = 0;
        }
      }
    };
    fill(x1, y1, x2, y1 + t - 1);
    fill(x1, y2 - t + 1, x2, y2);
    fill(x1, y1, x1 + t - 1, y2);
    fill(x2 - t + 1, y1, x2, y2);
  }
  return Buffer.from(jpeg.encode({ data: img.data, width: img.width, height: img.height }, quality).data);
}
