import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { neutraliseCsvCell } from '../../shared/csv-cell';
import { EVIDENCE_FORMAT, MANIFEST_FILE, type EvidenceFile, type EvidenceManifest } from '../../shared/domain/evidence';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import type { RecordedSegment } from '../../shared/domain/recording';
import { AppErrorException } from '../../shared/ipc/envelope';
import { maskFilterGraph, maskImage, maskInputArgs } from '../camera/mask-filter';
import type { LedgerRow } from '../ledger/ledger.repository';
import { FfmpegCancelled, probeMedia, runFfmpeg } from './media-probe';
import { rangesOf, type RecordedSegments } from './recorded-segments';
import { concatList, presentSegments } from './segment-join';

/** What one evidence export is asked for. */
export interface EvidenceExportRequest {
  cameraIds: string[];
  fromMs: number;
  toMs: number;
  /** Why (required, recorded in the manifest and the audit trail). */
  reason: string;
  /** Leave the privacy masks out of the video (a supervisor lifted them for this export). */
  liftMasks: boolean;
  /** Existing folder the export folder is created in (already checked against the allowed folders). */
  destination: string;
  /** Name of the folder to create there (default `evidence-<UTC time>`); it must not exist yet. */
  folderName?: string;
  /** Who exports, and who approved under the four-eyes rule. */
  actor: string;
  approver?: string | null;
}

/** Everything the export reads besides the recordings: the same engine code behind the app and the CLI. */
export interface EvidenceSources {
  segments: RecordedSegments;
  site: string;
  /** The camera's name, or null when it was removed. */
  cameraName(cameraId: string): string | null;
  /** The camera's saved privacy masks (all of them: an export burns in every mask unless lifted for it). */
  masks(cameraId: string): PrivacyMask[];
  /** Ledger rows of these cameras in [fromMs, toMs). */
  ledgerRows(cameraIds: string[], fromMs: number, toMs: number): LedgerRow[];
  /** Absolute path of a stored snapshot reference (null: not one). */
  resolveSnapshot(rel: string): string | null;
  /** Writes the human-readable summary (PDF) to `file`. */
  writeSummary(file: string, facts: EvidenceSummaryFacts): Promise<void>;
  /** Records the export in the audit trail; returns the row (null without a trail). */
  recordAudit(detail: Record<string, unknown>, actor: string): { id: number; hash: string } | null;
  /** Longest range an export may cover: the recordings' retention (ms). */
  retentionMs: number;
  /** Free bytes on the destination's disk (default: statfs). */
  freeBytes?(folder: string): number | null;
  now?(): number;
}

/** What the summary PDF shows. */
export interface EvidenceSummaryFacts {
  fromMs: number;
  toMs: number;
  reason: string;
  exportedBy: string;
  approvedBy: string | null;
  cameras: EvidenceManifest['cameras'];
  events: number;
  snapshots: number;
}

export interface EvidenceExportControl {
  signal?: AbortSignal;
  /** 0..1 */
  onProgress?: (fraction: number) => void;
}

export interface EvidenceExportResult {
  folder: string;
  manifest: EvidenceManifest;
}

export const EVENTS_CSV = 'events.csv';
const EVENT_COLUMNS = ['id', 'time', 'camera_id', 'camera', 'rule_id', 'type', 'direction', 'class', 'count', 'confidence', 'voided', 'corrected', 'snapshot'] as const;
/** Space an export needs beyond its recordings' size (PDF, CSV, snapshots, the transcode's overhead). */
const SPACE_MARGIN_BYTES = 32 * 1024 * 1024;

const iso = (ms: number) => new Date(ms).toISOString();
const bad = (message: string) => new AppErrorException('invalid-input', message);

/** A file name from a camera name (letters, digits, dot, dash and underscore; nothing else). */
export function fileSafe(name: string): string {
  return name.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'camera';
}

export function sha256File(file: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let n;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/** JSON with every object's keys sorted (one spelling per value). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** SHA-256 of a manifest without its own digest and audit row (the value the audit row carries). */
export function manifestDigest(m: Omit<EvidenceManifest, 'manifestSha256' | 'auditRow'> & Partial<EvidenceManifest>): string {
  const { manifestSha256: _d, auditRow: _a, ...body } = m;
  return crypto.createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** Every file under `dir`, as forward-slash paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

interface CameraPlan {
  id: string;
  name: string;
  file: string;
  segments: RecordedSegment[];
  masks: PrivacyMask[];
}

/**
 * Checks a request before anything is written: a reason, a sane range no longer than the retention, cameras that
 * still exist and were recorded in that range, a destination that exists, can be written and has room.
 */
export function planEvidenceExport(req: EvidenceExportRequest, src: EvidenceSources): CameraPlan[] {
  if (!req.reason.trim()) throw bad('Give a reason for this export.');
  if (!Number.isFinite(req.fromMs) || !Number.isFinite(req.toMs) || req.toMs <= req.fromMs) throw bad('The end of the range must be after its start.');
  if (!req.cameraIds.length) throw bad('Choose at least one camera.');
  if (req.toMs - req.fromMs > src.retentionMs) {
    throw bad(`The range is longer than recordings are kept (${Math.round(src.retentionMs / 86_400_000)} days). Choose a shorter range.`);
  }
  const used = new Set<string>();
  const plans = [...new Set(req.cameraIds)].map((id): CameraPlan => {
    const name = src.cameraName(id);
    if (name === null) throw bad(`The camera "${id}" no longer exists (removed since). Choose another camera.`);
    const segments = presentSegments(src.segments.segmentsFor(id, req.fromMs, req.toMs));
    if (!segments.length) throw bad(`There is no recording of ${name} between ${iso(req.fromMs)} and ${iso(req.toMs)}.`);
    let file = `${fileSafe(name)}.mp4`;
    for (let i = 2; used.has(file); i++) file = `${fileSafe(name)}-${i}.mp4`;
    used.add(file);
    return { id, name, file, segments, masks: req.liftMasks ? [] : src.masks(id) };
  });
  const dest = req.destination;
  if (req.folderName !== undefined) {
    if (!/^[^/\\]+$/.test(req.folderName) || req.folderName.startsWith('.')) throw bad(`"${req.folderName}" is not a folder name.`);
    if (fs.existsSync(path.join(dest, req.folderName))) throw bad(`"${path.join(dest, req.folderName)}" already exists. Choose a new folder: an export never writes into an existing one.`);
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(dest);
  } catch {
    throw bad(`The destination folder "${dest}" does not exist.`);
  }
  if (!st.isDirectory()) throw bad(`The destination "${dest}" is not a folder.`);
  try {
    fs.accessSync(dest, fs.constants.W_OK);
  } catch {
    throw new AppErrorException('forbidden', `Watchroom may not write to "${dest}". Choose another folder.`);
  }
  const need = plans.reduce((n, p) => n + p.segments.reduce((m, s) => m + s.bytes, 0), 0) * 1.5 + SPACE_MARGIN_BYTES;
  const free = (src.freeBytes ?? statfsFree)(dest);
  if (free !== null && free < need) {
    throw bad(`The destination "${dest}" is too full: the export needs about ${Math.ceil(need / 1024 ** 2)} MiB, ${Math.floor(free / 1024 ** 2)} MiB are free.`);
  }
  return plans;
}

function statfsFree(folder: string): number | null {
  try {
    const s = fs.statfsSync(folder);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/**
 * Writes an evidence folder: one MP4 per camera cut exactly to the range (masks burned in unless lifted),
 * `events.csv` and the snapshots of that range, `summary.pdf`, then the audit row and `manifest.json` with the
 * SHA-256 of every file. Everything is built in a hidden folder beside the destination and renamed into place
 * at the end: a cancel, a crash or a full disk leaves nothing half-written.
 */
export async function exportEvidence(req: EvidenceExportRequest, src: EvidenceSources, ctl: EvidenceExportControl = {}): Promise<EvidenceExportResult> {
  const plans = planEvidenceExport(req, src);
  const now = src.now ?? Date.now;
  const exportedAt = iso(now());
  const stamp = exportedAt.replace(/[-:]/g, '').replace(/\..*$/, '');
  let name = req.folderName ?? `evidence-${stamp}`;
  if (req.folderName === undefined) for (let i = 2; fs.existsSync(path.join(req.destination, name)); i++) name = `evidence-${stamp}-${i}`;
  const final = path.join(req.destination, name);
  const temp = fs.mkdtempSync(path.join(req.destination, `.${name}.partial-`));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'watchroom-evidence-'));
  const progress = (f: number) => ctl.onProgress?.(Math.max(0, Math.min(1, f)));
  try {
    const cameras: EvidenceManifest['cameras'] = [];
    const videoShare = 0.85;
    for (const [i, plan] of plans.entries()) {
      const base = (i / plans.length) * videoShare;
      await cutCamera(plan, req, path.join(temp, plan.file), scratch, {
        signal: ctl.signal,
        onProgress: (f) => progress(base + (f * videoShare) / plans.length),
      });
      cameras.push({
        id: plan.id,
        name: plan.name,
        file: plan.file,
        recorded: rangesOf(plan.segments, req.fromMs, req.toMs).map((r) => ({ from: iso(r.startMs), to: iso(r.endMs) })),
        masks: req.liftMasks && src.masks(plan.id).length ? 'lifted' : plan.masks.length ? 'burned-in' : 'none',
        codec: plan.segments[0]?.codec ?? null,
      });
    }
    checkCancel(ctl.signal);
    const names = new Map(plans.map((p) => [p.id, p.name]));
    const rows = src.ledgerRows(plans.map((p) => p.id), req.fromMs, req.toMs);
    let snapshots = 0;
    const csvRows: unknown[][] = [];
    for (const r of rows) {
      let snap = '';
      const abs = r.snapshot ? src.resolveSnapshot(r.snapshot) : null;
      if (abs && fs.existsSync(abs)) {
        snap = `snapshots/${fileSafe(r.id)}${path.extname(abs) || '.jpg'}`;
        fs.mkdirSync(path.join(temp, 'snapshots'), { recursive: true });
        fs.copyFileSync(abs, path.join(temp, snap));
        snapshots++;
      }
      csvRows.push([r.id, r.frameAt, r.cameraId, names.get(r.cameraId) ?? r.cameraId, r.ruleId, r.type, r.direction ?? '', r.cls, r.count, r.confidence, r.voided ? 'yes' : 'no', r.corrected ? 'yes' : 'no', snap]);
    }
    fs.writeFileSync(
      path.join(temp, EVENTS_CSV),
      stringify(csvRows, { header: true, columns: [...EVENT_COLUMNS], bom: true, record_delimiter: 'windows', quoted_match: /^'?[=+\-@\t\r]/, cast: { string: neutraliseCsvCell } }),
    );
    progress(0.9);
    await src.writeSummary(path.join(temp, 'summary.pdf'), { fromMs: req.fromMs, toMs: req.toMs, reason: req.reason.trim(), exportedBy: req.actor, approvedBy: req.approver ?? null, cameras, events: rows.length, snapshots });
    checkCancel(ctl.signal);
    const files: EvidenceFile[] = listFiles(temp).map((p) => ({ path: p, bytes: fs.statSync(path.join(temp, p)).size, sha256: sha256File(path.join(temp, p)) }));
    const body = { format: EVIDENCE_FORMAT, site: src.site, range: { from: iso(req.fromMs), to: iso(req.toMs) }, cameras, exportedBy: req.actor, approvedBy: req.approver ?? null, exportedAt, reason: req.reason.trim(), files } as const;
    const digest = manifestDigest(body);
    progress(0.97);
    checkCancel(ctl.signal);
    const auditRow = src.recordAudit(
      {
        folder: name,
        cameras: plans.map((p) => p.id),
        from: iso(req.fromMs),
        to: iso(req.toMs),
        reason: req.reason.trim(),
        masks: req.liftMasks ? 'lifted' : 'burned-in',
        approver: req.approver ?? null,
        manifestSha256: digest,
      },
      req.actor,
    );
    const manifest: EvidenceManifest = { ...body, manifestSha256: digest, auditRow };
    writeDurable(path.join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    fs.renameSync(temp, final);
    progress(1);
    return { folder: final, manifest };
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    if (err instanceof FfmpegCancelled) throw new AppErrorException('conflict', 'The export was cancelled; nothing was written.', { reason: 'cancelled' });
    if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw bad(`The destination "${req.destination}" ran out of space; nothing was written.`);
    throw err;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function checkCancel(signal?: AbortSignal): void {
  if (signal?.aborted) throw new FfmpegCancelled();
}

function writeDurable(file: string, text: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * One camera's MP4: the segments joined (concat demuxer), trimmed exactly to the range on decoded frames, the
 * masks burned in with the live view's filter graph, encoded as H.264 with the index at the front (+faststart).
 */
async function cutCamera(plan: CameraPlan, req: EvidenceExportRequest, out: string, scratch: string, ctl: EvidenceExportControl): Promise<void> {
  const first = plan.segments[0]!;
  const facts = probeMedia(first.path);
  const fps = facts?.fps && facts.fps > 0 && facts.fps <= 120 ? Math.round(facts.fps * 1000) / 1000 : 25;
  const list = path.join(scratch, `${plan.id}.ffconcat`);
  fs.writeFileSync(list, concatList(plan.segments));
  const offset = Math.max(0, req.fromMs - first.startMs) / 1000;
  const recordedMs = rangesOf(plan.segments, req.fromMs, req.toMs).reduce((n, r) => n + r.endMs - r.startMs, 0);
  const duration = recordedMs / 1000;
  const inputs = ['-f', 'concat', '-safe', '0', '-i', list];
  let graph = `[0:v]trim=start=${offset.toFixed(3)}:duration=${duration.toFixed(3)},setpts=PTS-STARTPTS[cut]`;
  const image = maskImage(plan.masks);
  if (image) {
    const maskFile = path.join(scratch, `${plan.id}.pgm`);
    fs.writeFileSync(maskFile, image);
    inputs.push(...maskInputArgs(maskFile));
    graph += `;${maskFilterGraph('cut', 'v', 1, fps, plan.masks)}`;
  } else {
    graph += ';[cut]null[v]';
  }
  await runFfmpeg(['-y', ...inputs, '-filter_complex', graph, '-map', '[v]', '-t', duration.toFixed(3), '-r', String(fps), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', '-an', '-movflags', '+faststart', out], {
    signal: ctl.signal,
    onProgress: (ms) => ctl.onProgress?.(duration > 0 ? ms / 1000 / duration : 0),
  });
}
