import type { FramePipeline } from './frame-pipeline';
import type { FfmpegReaders } from './ffmpeg-transport';
import { jpegSize, MjpegSplitter } from './mjpeg-splitter';
import { RawFrameSplitter } from './raw-frame-splitter';

export interface FfmpegRunOutputsOptions {
  /** The seq of this run's first frame (seqs go on across runs; indexes restart at 0). */
  runBase: number;
  /** Frames per second of both outputs: a frame's pts is index / fps. */
  fps: number;
  /** Bytes of one raw inference frame (the plan's rawFrameBytes); absent: ffmpeg writes no raw output. */
  rawFrameBytes?: number | null;
  pipeline: Pick<FramePipeline, 'onJpeg' | 'onRaw' | 'setSourceSize' | 'hasSourceSize'>;
  /** True once the run is being killed: its display frames are dropped. */
  discarding: () => boolean;
  /** A display frame arrived (before the pipeline gets it): `index` within this run, `seq` across runs. */
  onFrame: (index: number, seq: number) => void;
}

/**
 * Wires one ffmpeg run's outputs to the frame pipeline: the display MJPEG stream is cut into JPEGs, the raw
 * inference stream into frames; the n-th of each is the same source frame and gets seq runBase + n. The first JPEG
 * gives the source size when ffmpeg's stderr did not.
 */
export class FfmpegRunOutputs {
  readonly jpeg: MjpegSplitter;
  /** Null when the run has no raw output (no inference). */
  readonly raw: RawFrameSplitter | null;
  private jpegCount = 0;

  constructor(o: FfmpegRunOutputsOptions) {
    this.jpeg = new MjpegSplitter((jpeg) => {
      if (o.discarding()) return;
      const index = this.jpegCount++;
      const seq = o.runBase + index;
      if (index === 0 && !o.pipeline.hasSourceSize) {
        const s = jpegSize(jpeg);
        if (s) o.pipeline.setSourceSize(s.width, s.height);
      }
      o.onFrame(index, seq);
      o.pipeline.onJpeg(seq, index / o.fps, jpeg);
    });
    this.raw = o.rawFrameBytes ? new RawFrameSplitter(o.rawFrameBytes, (frame, index) => o.pipeline.onRaw(o.runBase + index, index / o.fps, frame)) : null;
  }

  /** The readers to hand to the run's link (FfmpegLink.read). */
  readers(): FfmpegReaders {
    return { jpeg: (chunk) => this.jpeg.push(chunk), raw: this.raw };
  }
}
