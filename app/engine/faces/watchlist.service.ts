import jpeg from 'jpeg-js';
import { ulid } from 'ulid';
import { FACE_CATEGORIES, type EnrolRequest, type FaceCategory, type FaceMatchView, type WatchlistEntryView } from '../../shared/domain/faces';
import type { AuditSink } from '../audit/audit-sink';
import type { Db } from '../storage/database';
import type { SecretBox } from '../storage/secret-box';
import type { FaceAnalyzer } from './face-analyzer';
import { DEFAULT_CATEGORY_THRESHOLDS, type WatchlistEmbeddings } from './face-matcher';
import { decodeRgbImage } from './rgb-image';

/** What a face-match alarm says instead of the name of a person whose entry was erased. */
const ERASED_NAME = 'a person since erased from the watchlist';

/**
 * The face watchlist (issue 23): enrolment from photos, sealed storage, the per-camera switch, match evidence and
 * the officer's decision, export and erasure. Every look at the watchlist and every change is audited here (the
 * dispatcher also audits each changing call). Nothing is written about a face that matched no one.
 */
export interface WatchlistServiceOptions {
  db: Db;
  box: SecretBox;
  audit: AuditSink;
  /** Opens (once) the face models; throws a plain message when they are missing. */
  analyzer: () => Promise<FaceAnalyzer>;
  now?: () => Date;
}

interface EntryRow { id: string; name_sealed: string; category: FaceCategory; expires_at: string | null; status: string; enrolled_by: string; approved_by: string | null; created_at: string; confirmed_count: number; rejected_count: number }
interface MatchRow { id: string; entry_id: string; camera_id: string; track_id: number | null; similarity: number; crop_sealed: string; alarm_id: string | null; outcome: 'confirmed' | 'rejected' | null; decided_by: string | null; at: string }

export class WatchlistError extends Error {}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/**
 * A photo's embeddings as stored: [n, ...first, ...second, ...] (n embeddings of one length: the face as
 * enrolled and its smaller copies). A stored value of even length is a single embedding (before smaller copies).
 */
const embeddingsToB64 = (list: readonly Float32Array[]) => {
  const d = list[0]!.length;
  const v = new Float32Array(1 + list.length * d);
  v[0] = list.length;
  list.forEach((e, i) => v.set(e, 1 + i * d));
  return Buffer.from(v.buffer).toString('base64');
};
const b64ToEmbeddings = (s: string): Float32Array[] => {
  const b = Buffer.from(s, 'base64');
  const v = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  if (v.length % 2 === 0) return [v];
  const n = v[0]!, d = (v.length - 1) / n;
  return Array.from({ length: n }, (_, i) => v.subarray(1 + i * d, 1 + (i + 1) * d));
};

/** An RGB crop as JPEG bytes (evidence pictures). */
export function rgbToJpeg(rgb: Uint8Array, size: number): Uint8Array {
  const rgba = Buffer.alloc(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    rgba[i * 4] = rgb[i * 3]!; rgba[i * 4 + 1] = rgb[i * 3 + 1]!; rgba[i * 4 + 2] = rgb[i * 3 + 2]!; rgba[i * 4 + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: size, height: size }, 85).data;
}

export class WatchlistService {
  private readonly now: () => Date;
  /** Cameras with faces on, read once and kept in step with setCamera (the live step asks on every frame). */
  private enabled: Set<string> | null = null;

  constructor(private readonly o: WatchlistServiceOptions) {
    this.now = o.now ?? (() => new Date());
  }

  /** The face models, or a WatchlistError saying plainly that they are missing or unreadable. */
  private async models(): Promise<FaceAnalyzer> {
    try {
      return await this.o.analyzer();
    } catch (e) {
      throw new WatchlistError(`Face matching is not available: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Enrols a person: every photo must show exactly one usable face (else nothing is stored and the message says
   * which photo and why). `approvedBy`: the second user when the four-eyes rule applied.
   */
  async enrol(req: EnrolRequest, actor: string, approvedBy: string | null = null): Promise<WatchlistEntryView> {
    if (req.expiresAt && Date.parse(req.expiresAt) <= this.now().getTime()) throw new WatchlistError('The expiry date is in the past.');
    const analyzer = await this.models();
    const photos: { bytes: Buffer; embeddings: Float32Array[] }[] = [];
    for (const [i, p] of req.photos.entries()) {
      const label = `Photo ${i + 1}`;
      const bytes = Buffer.from(p, 'base64');
      let face;
      try {
        face = await analyzer.enrolmentFace(decodeRgbImage(bytes, label), label);
      } catch (e) {
        throw new WatchlistError((e as Error).message, { cause: e });
      }
      photos.push({ bytes, embeddings: face.embeddings });
    }
    const id = ulid();
    const at = this.now().toISOString();
    const { db, box } = this.o;
    db.transaction(() => {
      db.prepare('INSERT INTO face_watchlist (id, name_sealed, category, expires_at, status, enrolled_by, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, box.seal(req.name), req.category, req.expiresAt, 'active', actor, approvedBy, at);
      const ins = db.prepare('INSERT INTO face_watchlist_photos (id, entry_id, photo_sealed, embedding_sealed, created_at) VALUES (?, ?, ?, ?, ?)');
      for (const p of photos) ins.run(ulid(), id, box.seal(b64(p.bytes)), box.seal(embeddingsToB64(p.embeddings)), at);
    })();
    this.o.audit.record({ action: 'faces.enrol', actor, target: `watchlist:${id}`, detail: { category: req.category, photos: photos.length, expiresAt: req.expiresAt, approvedBy } });
    return this.view(this.row(id)!);
  }

  /** Every active entry (a look at the watchlist: audited). */
  list(actor: string): WatchlistEntryView[] {
    const rows = this.o.db.prepare("SELECT * FROM face_watchlist WHERE status = 'active' ORDER BY created_at").all() as EntryRow[];
    this.o.audit.record({ action: 'faces.watchlist.view', actor, target: 'watchlist', detail: { entries: rows.length } });
    return rows.map((r) => this.view(r));
  }

  /** Takes a person off the list: photos and embeddings are deleted; match evidence stays until retention. */
  remove(id: string, actor: string): void {
    this.need(id);
    this.o.db.transaction(() => {
      this.o.db.prepare('DELETE FROM face_watchlist_photos WHERE entry_id = ?').run(id);
      this.o.db.prepare("UPDATE face_watchlist SET status = 'removed' WHERE id = ?").run(id);
    })();
    this.o.audit.record({ action: 'faces.remove', actor, target: `watchlist:${id}` });
  }

  /**
   * Data-subject erasure: the entry, its photos, embeddings and every match record are deleted, and the alarms its
   * matches opened no longer carry the name.
   */
  erase(id: string, actor: string): { matches: number } {
    this.need(id);
    const matches = (this.o.db.prepare('SELECT COUNT(*) AS n FROM face_matches WHERE entry_id = ?').get(id) as { n: number }).n;
    this.o.db.transaction(() => {
      this.o.db.prepare('DELETE FROM face_matches WHERE entry_id = ?').run(id);
      this.o.db.prepare('DELETE FROM face_watchlist_photos WHERE entry_id = ?').run(id);
      this.o.db.prepare('DELETE FROM face_watchlist WHERE id = ?').run(id);
      // The alarms a match opened name the person (the alarm queue is not sealed): they keep their history, not the name.
      this.o.db
        .prepare("UPDATE alarms SET detail = json_set(detail, '$.name', ?) WHERE kind = 'system' AND json_extract(detail, '$.condition') = 'face-match' AND json_extract(detail, '$.entryId') = ?")
        .run(ERASED_NAME, id);
    })();
    this.o.audit.record({ action: 'faces.erase', actor, target: `watchlist:${id}`, detail: { matches } });
    return { matches };
  }

  /** Data-subject access: the entry, its photos (base64) and its matches with their pictures. */
  export(id: string, actor: string): { entry: WatchlistEntryView; photos: string[]; matches: FaceMatchView[] } {
    const row = this.need(id);
    const photos = (this.o.db.prepare('SELECT photo_sealed FROM face_watchlist_photos WHERE entry_id = ? ORDER BY created_at, id').all(id) as { photo_sealed: string }[]).map((p) => this.o.box.open(p.photo_sealed));
    const matches = (this.o.db.prepare('SELECT * FROM face_matches WHERE entry_id = ? ORDER BY at').all(id) as MatchRow[]).map((m) => this.matchView(m, row));
    this.o.audit.record({ action: 'faces.export', actor, target: `watchlist:${id}`, detail: { photos: photos.length, matches: matches.length } });
    return { entry: this.view(row), photos, matches };
  }

  thresholds(): Record<FaceCategory, number> {
    const out = { ...DEFAULT_CATEGORY_THRESHOLDS };
    for (const r of this.o.db.prepare('SELECT category, threshold FROM face_category_thresholds').all() as { category: FaceCategory; threshold: number }[]) out[r.category] = r.threshold;
    return out;
  }

  setThreshold(category: FaceCategory, threshold: number, actor: string): Record<FaceCategory, number> {
    if (!FACE_CATEGORIES.includes(category)) throw new WatchlistError(`unknown category ${category}`);
    if (!(threshold >= 0.4 && threshold <= 0.95)) throw new WatchlistError('The threshold must be between 0.40 (very lenient) and 0.95 (very strict).');
    const before = this.thresholds()[category];
    this.o.db.prepare('INSERT INTO face_category_thresholds (category, threshold, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(category) DO UPDATE SET threshold = excluded.threshold, updated_by = excluded.updated_by, updated_at = excluded.updated_at')
      .run(category, threshold, actor, this.now().toISOString());
    this.o.audit.record({ action: 'faces.threshold', actor, target: `category:${category}`, detail: { before, after: threshold } });
    return this.thresholds();
  }

  /** Off unless an admin switched it on (and accepted the legal notice). */
  cameraEnabled(cameraId: string): boolean {
    this.enabled ??= new Set(this.enabledCameras());
    return this.enabled.has(cameraId);
  }

  enabledCameras(): string[] {
    return (this.o.db.prepare('SELECT camera_id FROM face_cameras ORDER BY camera_id').all() as { camera_id: string }[]).map((r) => r.camera_id);
  }

  setCamera(cameraId: string, enabled: boolean, actor: string, noticeAccepted: boolean): void {
    if (enabled && !noticeAccepted) throw new WatchlistError('Read and accept the legal notice before switching face matching on.');
    if (enabled) this.o.db.prepare('INSERT OR REPLACE INTO face_cameras (camera_id, enabled_by, notice_accepted_at) VALUES (?, ?, ?)').run(cameraId, actor, this.now().toISOString());
    else this.o.db.prepare('DELETE FROM face_cameras WHERE camera_id = ?').run(cameraId);
    this.enabled = null;
    this.o.audit.record({ action: enabled ? 'faces.camera.on' : 'faces.camera.off', actor, target: `camera:${cameraId}`, detail: enabled ? { noticeAccepted: true } : {} });
  }

  /** Embeddings of the people to match now (active, not expired). Not audited: it is the matcher's own read. */
  activeEmbeddings(): WatchlistEmbeddings[] {
    const now = this.now().toISOString();
    const rows = this.o.db.prepare("SELECT * FROM face_watchlist WHERE status = 'active' AND (expires_at IS NULL OR expires_at > ?)").all(now) as EntryRow[];
    const emb = this.o.db.prepare('SELECT embedding_sealed FROM face_watchlist_photos WHERE entry_id = ?');
    return rows.map((r) => ({
      id: r.id,
      name: this.o.box.open(r.name_sealed),
      category: r.category,
      embeddings: (emb.all(r.id) as { embedding_sealed: string }[]).flatMap((e) => b64ToEmbeddings(this.o.box.open(e.embedding_sealed))),
    }));
  }

  /** Keeps the evidence of a match (the face seen, sealed); returns its id for the alarm. */
  recordMatch(m: { entryId: string; cameraId: string; track: number | null; similarity: number; crop: Uint8Array; cropSize: number; alarmId?: string | null }): string {
    const id = ulid();
    this.o.db.prepare('INSERT INTO face_matches (id, entry_id, camera_id, track_id, similarity, crop_sealed, alarm_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, m.entryId, m.cameraId, m.track, m.similarity, this.o.box.seal(b64(rgbToJpeg(m.crop, m.cropSize))), m.alarmId ?? null, this.now().toISOString());
    return id;
  }

  /** The alarm a match opened (shown with the match; the alarm's detail carries the match id). */
  linkAlarm(matchId: string, alarmId: string): void {
    this.o.db.prepare('UPDATE face_matches SET alarm_id = ? WHERE id = ?').run(alarmId, matchId);
  }

  /** One match with both faces, for the alarm detail (a look at the watchlist: audited). */
  match(id: string, actor: string): FaceMatchView {
    const m = this.o.db.prepare('SELECT * FROM face_matches WHERE id = ?').get(id) as MatchRow | undefined;
    if (!m) throw new WatchlistError('No such face match (it may have been erased or expired).');
    this.o.audit.record({ action: 'faces.match.view', actor, target: `face-match:${id}` });
    return this.matchView(m, this.row(m.entry_id)!);
  }

  /** The officer's decision on a match (feeds the entry's false-match rate). */
  decide(id: string, outcome: 'confirmed' | 'rejected', actor: string): FaceMatchView {
    const m = this.o.db.prepare('SELECT * FROM face_matches WHERE id = ?').get(id) as MatchRow | undefined;
    if (!m) throw new WatchlistError('No such face match (it may have been erased or expired).');
    if (m.outcome) throw new WatchlistError(`This match was already ${m.outcome} by ${m.decided_by}.`);
    this.o.db.transaction(() => {
      this.o.db.prepare('UPDATE face_matches SET outcome = ?, decided_by = ? WHERE id = ?').run(outcome, actor, id);
      this.o.db.prepare(`UPDATE face_watchlist SET ${outcome === 'confirmed' ? 'confirmed_count = confirmed_count' : 'rejected_count = rejected_count'} + 1 WHERE id = ?`).run(m.entry_id);
    })();
    this.o.audit.record({ action: `faces.match.${outcome === 'confirmed' ? 'confirm' : 'reject'}`, actor, target: `face-match:${id}`, detail: { entry: m.entry_id, similarity: m.similarity } });
    return this.matchView({ ...m, outcome, decided_by: actor }, this.row(m.entry_id)!);
  }

  /** Retention: match evidence older than `before` is deleted; returns how many. */
  purgeMatches(before: Date): number {
    return this.o.db.prepare('DELETE FROM face_matches WHERE at < ?').run(before.toISOString()).changes;
  }

  private row(id: string): EntryRow | undefined {
    return this.o.db.prepare('SELECT * FROM face_watchlist WHERE id = ?').get(id) as EntryRow | undefined;
  }

  private need(id: string): EntryRow {
    const r = this.row(id);
    if (!r) throw new WatchlistError('No such watchlist entry.');
    return r;
  }

  private view(r: EntryRow): WatchlistEntryView {
    const photos = (this.o.db.prepare('SELECT COUNT(*) AS n FROM face_watchlist_photos WHERE entry_id = ?').get(r.id) as { n: number }).n;
    const decided = r.confirmed_count + r.rejected_count;
    return {
      id: r.id, name: this.o.box.open(r.name_sealed), category: r.category, expiresAt: r.expires_at, enrolledBy: r.enrolled_by, approvedBy: r.approved_by,
      createdAt: r.created_at, photos, confirmed: r.confirmed_count, rejected: r.rejected_count, falseMatchRate: decided ? r.rejected_count / decided : null,
    };
  }

  private matchView(m: MatchRow, entry: EntryRow): FaceMatchView {
    const first = this.o.db.prepare('SELECT photo_sealed FROM face_watchlist_photos WHERE entry_id = ? ORDER BY created_at, id LIMIT 1').get(entry.id) as { photo_sealed: string } | undefined;
    return {
      id: m.id, entryId: m.entry_id, name: this.o.box.open(entry.name_sealed), category: entry.category, cameraId: m.camera_id, track: m.track_id,
      similarity: m.similarity, at: m.at, outcome: m.outcome, decidedBy: m.decided_by,
      seenFace: `data:image/jpeg;base64,${this.o.box.open(m.crop_sealed)}`,
      enrolledFace: first ? `data:image/jpeg;base64,${this.o.box.open(first.photo_sealed)}` : '',
    };
  }
}
