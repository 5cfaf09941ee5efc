import fs from 'node:fs';
import path from 'node:path';
import type { Detection } from '../shared/domain/detection';
import { FaceAnalyzer, findFaceModels } from '../engine/faces/face-analyzer';
import { matchFace, type WatchlistEmbeddings } from '../engine/faces/face-matcher';
import { readRgbFrames, readRgbImage, type RgbImage } from '../engine/faces/rgb-image';
import { manifestDirs, resolveModelsDir } from '../engine/models/models-dir';
import { round } from './cli-common';

/**
 * `analyze --faces [--watchlist DIR]`: faces in each analysed frame, matched against a folder of photos named
 * after the person (`<name>.jpg`, several photos of one person as `<name>.2.jpg`...). Nothing is stored: the
 * embeddings live in memory for the run only.
 */
export interface FaceLine {
  /** [x1, y1, x2, y2], 0..1 of the frame. */
  box: number[];
  /** The track of the person box the face is in (with --rules), else null. */
  track: number | null;
  /** 0..1 (size, frontal-ness, sharpness); faces failing a quality gate also get `rejected`. */
  quality: number;
  rejected?: string;
  match: { name: string; similarity: number } | null;
}

const PHOTO = /\.(jpe?g|png|webp|bmp)$/i;

/** The person name of a watchlist photo: its file name without the extension and an optional `.N` suffix. */
export const watchlistName = (file: string): string => path.basename(file).replace(PHOTO, '').replace(/\.\d+$/, '');

export class FaceStage {
  readonly matches: Record<string, number> = {};

  private constructor(private readonly analyzer: FaceAnalyzer, private readonly watchlist: WatchlistEmbeddings[]) {}

  /** Opens the face models and enrols the watchlist folder; throws a plain message for any bad photo. */
  static async open(o: { watchlist?: string; dirs: { 'models-dir'?: string; 'data-dir'?: string }; threads: number }): Promise<FaceStage> {
    const modelsDir = resolveModelsDir({ modelsDir: o.dirs['models-dir'], dataDir: o.dirs['data-dir'] });
    const analyzer = await FaceAnalyzer.create(findFaceModels(manifestDirs(modelsDir)), { intraOpNumThreads: o.threads });
    try {
      const list: WatchlistEmbeddings[] = [];
      if (o.watchlist) {
        if (!fs.existsSync(o.watchlist) || !fs.statSync(o.watchlist).isDirectory()) throw new Error(`--watchlist ${o.watchlist} is not a folder`);
        const files = fs.readdirSync(o.watchlist).filter((f) => PHOTO.test(f)).sort();
        if (!files.length) throw new Error(`--watchlist ${o.watchlist} holds no photos (.jpg, .png, .webp, .bmp)`);
        for (const f of files) {
          const face = await analyzer.enrolmentFace(readRgbImage(path.join(o.watchlist, f)), f);
          const name = watchlistName(f);
          const entry = list.find((p) => p.name === name);
          if (entry) (entry.embeddings as Float32Array[]).push(...face.embeddings);
          else list.push({ id: name, name, category: 'other', embeddings: face.embeddings });
        }
      }
      return new FaceStage(analyzer, list);
    } catch (e) {
      await analyzer.dispose();
      throw e;
    }
  }

  async frame(image: RgbImage, detections: readonly Detection[]): Promise<FaceLine[]> {
    const faces = await this.analyzer.analyze(image);
    return faces.map((f) => {
      const box = [f.box[0] / image.width, f.box[1] / image.height, f.box[2] / image.width, f.box[3] / image.height].map((v) => round(Math.min(1, Math.max(0, v)), 4));
      const cx = (box[0]! + box[2]!) / 2, cy = (box[1]! + box[3]!) / 2;
      const person = detections.find((d) => d.cls === 'person' && d.track !== undefined && cx >= d.box[0] && cx <= d.box[2] && cy >= d.box[1] && cy <= d.box[3]);
      const m = f.embedding && this.watchlist.length ? matchFace(f.embedding, this.watchlist, undefined, f.quality.eyeDistancePx) : null;
      if (m) this.matches[m.name] = (this.matches[m.name] ?? 0) + 1;
      return {
        box,
        track: person?.track ?? null,
        quality: round(f.quality.score, 3),
        ...(f.rejected ? { rejected: f.rejected } : {}),
        match: m ? { name: m.name, similarity: round(m.similarity, 4) } : null,
      };
    });
  }

  async close(): Promise<void> {
    await this.analyzer.dispose();
  }
}

/** Full-size RGB frames of the source, in step with the analysed frames (same fps filter). */
export function fullFrames(source: string, isImage: boolean, fps: number | undefined, maxFrames: number | undefined): AsyncGenerator<{ image: RgbImage }> {
  if (isImage) {
    return (async function* () {
      yield { image: readRgbImage(source) };
    })();
  }
  return readRgbFrames(source, { fps, maxFrames });
}
