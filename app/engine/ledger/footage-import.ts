import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { AnalyticsEvent } from '../../shared/domain/analytics';
import type { Box } from '../../shared/domain/detection';
import { CameraRepository } from '../storage/camera.repository';
import type { Db } from '../storage/database';
import { plaintextSecretBox, type SecretBox } from '../storage/secret-box';
import { ledgerOutboxHook } from '../export/ledger-outbox';
import { ledgerInputOf } from './ledger-input';
import { dedupeKeyOf, LedgerRepository, type LedgerEventInput } from './ledger.repository';

/** One analysed event from a footage file (the analyze CLI's AnalyticsEvent fits). */
export interface FootageEvent {
  type: AnalyticsEvent['type'];
  /** Rule id. */
  rule: string;
  /** Line crossings only. */
  dir?: 'in' | 'out';
  track: number;
  /** Seconds from the start of the footage. */
  t: number;
  cls: string;
  score: number;
  box?: Box;
  /** Zone events: seconds inside the zone (kept in the row's detail, as for live events). */
  dwell?: number;
  /** zone.overcrowd: members in the zone (kept in the row's detail). */
  occupancy?: number;
}

/** Options of importFootageEvents. */
export interface FootageImportOptions {
  db: Db;
  /** Camera the events belong to; created (disabled, file source) when no camera has this name. */
  cameraName: string;
  /** Wall-clock time of the footage's first frame, ISO-8601. */
  start: string;
  /** footageKeyOf(file): identifies the footage so a re-import adds nothing. */
  footageKey: string;
  events: AsyncIterable<FootageEvent> | Iterable<FootageEvent>;
  /** Source path recorded on a newly created camera (default: a file:// placeholder naming the footage). */
  sourcePath?: string;
  /** Detector id recorded on each event. */
  modelId?: string | null;
  /** Events per transaction (default 500). */
  batchSize?: number;
  /** Seals the new camera's source (must be the engine's box). */
  secrets?: SecretBox;
  /** Called after each committed batch with the number of events seen so far. */
  onBatch?: (seen: number) => void;
}

export interface FootageImportResult {
  cameraId: string;
  /** Events read from the iterable. */
  seen: number;
  /** Newly stored. */
  inserted: number;
  /** Already in the ledger (a previous or interrupted import). */
  duplicates: number;
}

/** sha256 over the file's first and last MiB and its size: cheap, stable identity of a footage file. */
export function footageKeyOf(file: string): string {
  const MB = 1024 * 1024;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const h = createHash('sha256');
    const head = Buffer.alloc(Math.min(MB, size));
    fs.readSync(fd, head, 0, head.length, 0);
    h.update(head);
    const tail = Buffer.alloc(Math.min(MB, size));
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    h.update(tail);
    h.update(String(size));
    return h.digest('hex');
  } finally {
    fs.closeSync(fd);
  }
}

/** Finds the camera by name (case-insensitive) or creates it as a disabled file camera. */
export function ensureImportCamera(db: Db, cameraName: string, sourcePath: string, secrets: SecretBox = plaintextSecretBox): string {
  const row = db.prepare('SELECT id FROM cameras WHERE name = ?').get(cameraName.trim()) as { id: string } | undefined;
  if (row) return row.id;
  const repo = new CameraRepository(db, secrets);
  return repo.insert({ name: cameraName.trim(), source: sourcePath, rtspTransport: 'tcp', analysisFps: 10, enabled: false, modelId: null }).id;
}

/**
 * Stores a footage file's events in the ledger as camera `cameraName`'s, timed from `start`. Idempotent:
 * each event's dedupe key is footage key + rule + track + type + direction + time offset (ms), so running it
 * again — or after a kill half-way — stores every event exactly once. Each batch is one transaction: a kill
 * leaves whole batches or nothing.
 */
export async function importFootageEvents(o: FootageImportOptions): Promise<FootageImportResult> {
  const startMs = Date.parse(o.start);
  if (!Number.isFinite(startMs)) throw new Error(`Invalid footage start time "${o.start}" (expected ISO-8601).`);
  if (!/^[0-9a-f]{16,128}$/i.test(o.footageKey)) throw new Error('Invalid footage key (expected a hex digest).');
  const cameraId = ensureImportCamera(o.db, o.cameraName, o.sourcePath ?? `file:///imported/${o.footageKey.slice(0, 16)}`, o.secrets);
  // Imported events are exported like live ones (outbox row in the same transaction).
  const ledger = new LedgerRepository(o.db, undefined, ledgerOutboxHook(o.db));
  const source = `import:${o.footageKey}` as const;
  const size = Math.max(1, Math.floor(o.batchSize ?? 500));
  const result: FootageImportResult = { cameraId, seen: 0, inserted: 0, duplicates: 0 };
  let batch: LedgerEventInput[] = [];
  const flush = () => {
    if (!batch.length) return;
    const n = ledger.append(batch).length;
    result.inserted += n;
    result.duplicates += batch.length - n;
    batch = [];
    o.onBatch?.(result.seen);
  };
  for await (const e of o.events) {
    result.seen++;
    const offsetMs = Math.round(e.t * 1000);
    const input = ledgerInputOf(e, { cameraId, frameMs: startMs + offsetMs, modelId: o.modelId, source });
    input.dedupeKey = dedupeKeyOf(input, offsetMs);
    batch.push(input);
    if (batch.length >= size) flush();
  }
  flush();
  return result;
}
