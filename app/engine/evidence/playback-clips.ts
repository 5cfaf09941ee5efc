import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { PrivacyMask } from '../../shared/domain/privacy-mask';
import { maskFilterGraph, maskImage, maskInputArgs } from '../camera/mask-filter';
import { BROWSER_PLAYABLE_CODECS, probeMedia, runFfmpeg } from './media-probe';
import type { RecordedSegments } from './recorded-segments';
import { concatList, presentSegments, runAround } from './segment-join';

/** A playable file for a moment of one camera's recording. */
export interface PlaybackClip {
  /** Opaque name of the cached file (served as `/playback/<id>.mp4` and `app://playback/<id>.mp4`). */
  id: string;
  file: string;
  cameraId: string;
  /** Wall-clock time of the clip's first frame and its end (epoch ms): video time t is clipStartMs + t·1000. */
  clipStartMs: number;
  clipEndMs: number;
  /** The recording's codec, and whether the clip had to be transcoded for the renderer (H.265, …). */
  codec: string | null;
  transcoded: boolean;
  /** The privacy masks in force were burned in (as in the live view). */
  masked: boolean;
}

const ID_RE = /^[a-f0-9]{32}$/;

/**
 * Joins the segments around a moment into one fragmented MP4 (`-c copy`, so it plays while ffmpeg is done in a
 * fraction of a second; transcoded to H.264 when the recorded codec is not one the renderer decodes), cached in
 * `dir` by the segments it was made of. Recordings themselves are never changed.
 */
export class PlaybackClips {
  private readonly building = new Map<string, Promise<PlaybackClip>>();
  private readonly known = new Map<string, PlaybackClip>();

  constructor(
    private readonly segments: RecordedSegments,
    /** Cache folder (private, under the data directory). */
    readonly dir: string,
    /** The masks in force for a camera now (saved minus lifted): burned into its clips exactly as into the live view. */
    private readonly masksOf: (cameraId: string) => PrivacyMask[] = () => [],
    /** Longest run joined into one clip (masked clips are encoded, so they are kept shorter). */
    private readonly maxClipMs = 30 * 60_000,
    private readonly maxMaskedClipMs = 5 * 60_000,
  ) {}

  /**
   * The clip holding `atMs` (or the next recording after it, up to `toMs`), with up to `lookbackMs` of the same
   * run before it so the officer can step back without a new clip.
   */
  async clipAt(cameraId: string, atMs: number, toMs = atMs + this.maxClipMs, lookbackMs = 60_000): Promise<PlaybackClip> {
    const run = runAround(presentSegments(this.segments.segmentsFor(cameraId, atMs - lookbackMs, Math.max(toMs, atMs + 1))), atMs);
    const masks = this.masksOf(cameraId);
    const maxMs = masks.length ? this.maxMaskedClipMs : this.maxClipMs;
    const back = Math.min(lookbackMs, maxMs / 5);
    const chosen = run.filter((s) => s.endMs > atMs - back && s.startMs < atMs + maxMs - back);
    if (!chosen.length) throw new AppErrorException('not-found', 'There is no recording of this camera at or after that time.');
    const transcode = chosen.some((s) => !s.codec || !BROWSER_PLAYABLE_CODECS.has(s.codec));
    const id = crypto
      .createHash('sha256')
      .update(JSON.stringify([chosen.map((s) => [s.path, s.bytes, s.endMs]), masks]))
      .digest('hex')
      .slice(0, 32);
    const clip: PlaybackClip = { id, file: path.join(this.dir, `${id}.mp4`), cameraId, clipStartMs: chosen[0]!.startMs, clipEndMs: chosen[chosen.length - 1]!.endMs, codec: chosen[0]!.codec, transcoded: transcode, masked: masks.length > 0 };
    if (fs.existsSync(clip.file)) return this.remember(clip);
    let job = this.building.get(id);
    if (!job) {
      job = this.build(clip, chosen, masks).finally(() => this.building.delete(id));
      this.building.set(id, job);
    }
    return job;
  }

  /** The cached file of a clip handed out earlier (null for anything else: ids are never paths). */
  fileOf(id: string): string | null {
    if (!ID_RE.test(id)) return null;
    const c = this.known.get(id);
    return c && fs.existsSync(c.file) ? c.file : null;
  }

  /** Removes cached clips (at start and stop: they are copies, rebuilt on demand). */
  clear(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    this.known.clear();
  }

  private remember(c: PlaybackClip): PlaybackClip {
    this.known.set(c.id, c);
    return c;
  }

  private async build(clip: PlaybackClip, segs: ReturnType<typeof runAround>, masks: PrivacyMask[]): Promise<PlaybackClip> {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const list = path.join(this.dir, `${clip.id}.ffconcat`);
    const part = path.join(this.dir, `${clip.id}.part.mp4`);
    fs.writeFileSync(list, concatList(segs), { mode: 0o600 });
    try {
      const encode = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'];
      let args: string[];
      const image = maskImage(masks);
      if (image) {
        // Masks burned in with the live view's own filter graph (mask-filter.ts); the recording stays as it was.
        const maskFile = path.join(this.dir, `${clip.id}.pgm`);
        fs.writeFileSync(maskFile, image, { mode: 0o600 });
        const fps = probeMedia(segs[0]!.path)?.fps || 25;
        args = ['-f', 'concat', '-safe', '0', '-i', list, ...maskInputArgs(maskFile), '-filter_complex', maskFilterGraph('0:v', 'v', 1, fps, masks), '-map', '[v]', '-t', String((clip.clipEndMs - clip.clipStartMs) / 1000), ...encode];
      } else args = ['-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', ...(clip.transcoded ? encode : ['-c:v', 'copy'])];
      // Fragmented MP4: the renderer starts playing before the whole file is read (progressive, range requests).
      await runFfmpeg(['-y', ...args, '-an', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', part]);
      fs.renameSync(part, clip.file);
      return this.remember(clip);
    } catch (err) {
      fs.rmSync(part, { force: true });
      throw new AppErrorException('internal', `The recording could not be prepared for playback: ${(err as Error).message}`);
    } finally {
      fs.rmSync(list, { force: true });
      fs.rmSync(path.join(this.dir, `${clip.id}.pgm`), { force: true });
    }
  }
}
