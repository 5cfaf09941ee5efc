import type { Detection } from '../../shared/domain/detection';
import type { FaceCategory } from '../../shared/domain/faces';
import { headRegion, type FaceLookReply, type FaceLookRequest } from './face-look';
import { matchFace } from './face-matcher';
import type { WatchlistService } from './watchlist.service';

/**
 * The per-camera face step of the live pipeline (issue 23): only on cameras switched on, only inside confirmed
 * person tracks (never the whole picture), at most once per `perTrackIntervalMs` per track and `maxTracksPerFrame`
 * tracks a frame, keeping in memory the best-quality face seen per track. A face that matches opens a match
 * (evidence sealed by the watchlist service) once per track and person; nothing else is written: embeddings and
 * crops of faces that match no one are dropped with the frame, and a track's memory with the track.
 *
 * The face models run elsewhere (`look`: in the engine, the shared inference worker, see face-look.ts); the
 * watchlist and the matching stay here. A look that did not run (`skipped`) leaves its tracks due.
 */
export interface FaceWatchOptions {
  faces: WatchlistService;
  /** Finds the faces in the head regions of a frame (InferenceHost.faceLook in the engine). */
  look: (look: Omit<FaceLookRequest, 'models'>) => Promise<FaceLookReply>;
  /** A match was recorded (the engine opens an alarm for it). */
  onMatch?: (m: FaceWatchMatch) => void;
  perTrackIntervalMs?: number;
  maxTracksPerFrame?: number;
}

/** A recorded match, for the alarm. */
export interface FaceWatchMatch { matchId: string; entryId: string; cameraId: string; track: number; name: string; category: FaceCategory; similarity: number }

interface TrackMemory { lastLookMs: number; bestQuality: number; matched: Set<string> }

export class FaceWatch {
  private readonly tracks = new Map<string, Map<number, TrackMemory>>();

  constructor(private readonly o: FaceWatchOptions) {}

  /** Tracks to look at in this frame: confirmed person tracks not looked at recently, least recently first. */
  pick(cameraId: string, detections: readonly Detection[], nowMs: number): Detection[] {
    const mem = this.tracks.get(cameraId) ?? new Map<number, TrackMemory>();
    this.tracks.set(cameraId, mem);
    const live = new Set(detections.filter((d) => d.track !== undefined).map((d) => d.track!));
    for (const id of [...mem.keys()]) if (!live.has(id)) mem.delete(id);
    const interval = this.o.perTrackIntervalMs ?? 1_000;
    return detections
      .filter((d) => d.cls === 'person' && d.track !== undefined && nowMs - (mem.get(d.track)?.lastLookMs ?? -Infinity) >= interval)
      .sort((a, b) => (mem.get(a.track!)?.lastLookMs ?? -Infinity) - (mem.get(b.track!)?.lastLookMs ?? -Infinity))
      .slice(0, this.o.maxTracksPerFrame ?? 2);
  }

  /**
   * One analysed frame of a camera (its display JPEG, and its source size for the head regions). Does nothing at
   * all on a camera with faces off. Resolves true when the face models looked at the picked tracks; throws the
   * reason when they cannot run (a model missing).
   */
  async frame(cameraId: string, frame: { jpeg: Uint8Array; width: number; height: number }, detections: readonly Detection[], nowMs: number): Promise<boolean> {
    if (!this.o.faces.cameraEnabled(cameraId)) {
      this.tracks.delete(cameraId);
      return false;
    }
    const picked = this.pick(cameraId, detections, nowMs);
    if (!picked.length) return false;
    const { width: w, height: h } = frame;
    const regions = picked.map((d) => {
      const r = headRegion(d.box, w, h);
      return [r[0] / w, r[1] / h, r[2] / w, r[3] / h] as [number, number, number, number];
    });
    const reply = await this.o.look({ cameraId, jpeg: frame.jpeg, regions });
    if (reply.status === 'skipped') return false; // not looked at: the tracks stay due
    if (reply.status === 'error') throw new Error(reply.message);
    const list = this.o.faces.activeEmbeddings();
    const thresholds = this.o.faces.thresholds();
    const mem = this.tracks.get(cameraId);
    if (!mem) return false; // forgotten (camera removed) while the look ran
    picked.forEach((d, i) => {
      const m = mem.get(d.track!) ?? { lastLookMs: nowMs, bestQuality: -1, matched: new Set<string>() };
      m.lastLookMs = nowMs;
      mem.set(d.track!, m);
      const face = reply.faces[i];
      // Only a face better than the best one of this track so far is matched again.
      if (!face?.embedding || !face.crop || face.quality.score <= m.bestQuality) return;
      m.bestQuality = face.quality.score;
      const match = list.length ? matchFace(face.embedding, list, thresholds, face.quality.eyeDistancePx) : null;
      if (!match || m.matched.has(match.id)) return;
      m.matched.add(match.id);
      const matchId = this.o.faces.recordMatch({ entryId: match.id, cameraId, track: d.track!, similarity: match.similarity, crop: face.crop, cropSize: reply.cropSize });
      this.o.onMatch?.({ matchId, entryId: match.id, cameraId, track: d.track!, name: match.name, category: match.category, similarity: match.similarity });
    });
    return true;
  }

  forget(cameraId: string): void {
    this.tracks.delete(cameraId);
  }
}
