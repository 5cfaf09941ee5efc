import type { Detection } from '../../shared/domain/detection';
import type { FaceCategory } from '../../shared/domain/faces';
import type { FaceAnalyzer } from './face-analyzer';
import { matchFace } from './face-matcher';
import type { RgbImage } from './rgb-image';
import type { WatchlistService } from './watchlist.service';

/**
 * The per-camera face step of the live pipeline (issue 23): only on cameras switched on, only inside confirmed
 * person tracks (never the whole picture), at most once per `perTrackIntervalMs` per track and `maxTracksPerFrame`
 * tracks a frame, keeping in memory the best-quality face seen per track. A face that matches opens a match
 * (evidence sealed by the watchlist service) once per track and person; nothing else is written: embeddings and
 * crops of faces that match no one are dropped with the frame, and a track's memory with the track.
 */
export interface FaceWatchOptions {
  faces: WatchlistService;
  analyzer: () => Promise<FaceAnalyzer>;
  /** A match was recorded (the engine opens an alarm for it). */
  onMatch?: (m: FaceWatchMatch) => void;
  perTrackIntervalMs?: number;
  maxTracksPerFrame?: number;
}

/** A recorded match, for the alarm. */
export interface FaceWatchMatch { matchId: string; entryId: string; cameraId: string; track: number; name: string; category: FaceCategory; similarity: number }

interface TrackMemory { lastLookMs: number; bestQuality: number; matched: Set<string> }

/** The head region of a person box (pixels): its top 40 %, widened to a square. */
export function headRegion(box: readonly number[], width: number, height: number): [number, number, number, number] {
  const [x1, y1, x2, y2] = [box[0]! * width, box[1]! * height, box[2]! * width, box[3]! * height];
  const side = Math.max(x2 - x1, (y2 - y1) * 0.4);
  const cx = (x1 + x2) / 2;
  return [cx - side / 2, y1 - side * 0.1, cx + side / 2, y1 + side * 0.9];
}

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

  /** One analysed frame of a camera. Does nothing at all on a camera with faces off. */
  async frame(cameraId: string, image: RgbImage, detections: readonly Detection[], nowMs: number): Promise<void> {
    if (!this.o.faces.cameraEnabled(cameraId)) {
      this.tracks.delete(cameraId);
      return;
    }
    const picked = this.pick(cameraId, detections, nowMs);
    if (!picked.length) return;
    const analyzer = await this.o.analyzer();
    const list = this.o.faces.activeEmbeddings();
    const thresholds = this.o.faces.thresholds();
    const mem = this.tracks.get(cameraId)!;
    for (const d of picked) {
      const m = mem.get(d.track!) ?? { lastLookMs: nowMs, bestQuality: -1, matched: new Set<string>() };
      m.lastLookMs = nowMs;
      mem.set(d.track!, m);
      const face = (await analyzer.analyze(image, { regions: [headRegion(d.box, image.width, image.height)] }))[0];
      // Only a face better than the best one of this track so far is matched again.
      if (!face?.embedding || !face.crop || face.quality.score <= m.bestQuality) continue;
      m.bestQuality = face.quality.score;
      const match = list.length ? matchFace(face.embedding, list, thresholds, face.quality.eyeDistancePx) : null;
      if (!match || m.matched.has(match.id)) continue;
      m.matched.add(match.id);
      const matchId = this.o.faces.recordMatch({ entryId: match.id, cameraId, track: d.track!, similarity: match.similarity, crop: face.crop, cropSize: analyzer.cropSize });
      this.o.onMatch?.({ matchId, entryId: match.id, cameraId, track: d.track!, name: match.name, category: match.category, similarity: match.similarity });
    }
  }

  forget(cameraId: string): void {
    this.tracks.delete(cameraId);
  }
}
