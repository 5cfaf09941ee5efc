import { describe, expect, it } from 'vitest';
import { FfmpegRunOutputs, type FfmpegRunOutputsOptions } from './ffmpeg-run-outputs';

/** A minimal structurally valid JPEG: SOI, SOF0 (w x h), SOS, entropy data, EOI. */
function fakeJpeg(w: number, h: number, payload: number): Buffer {
  const sof = [0xff, 0xc0, 0x00, 0x0b, 0x08, h >> 8, h & 255, w >> 8, w & 255, 0x01, 0x01, 0x11, 0x00];
  const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
  return Buffer.from([0xff, 0xd8, ...sof, ...sos, payload, 0xff, 0xd9]);
}

function setup(o: Partial<FfmpegRunOutputsOptions> = {}) {
  const calls: string[] = [];
  let size: [number, number] | null = null;
  const pipeline: FfmpegRunOutputsOptions['pipeline'] = {
    get hasSourceSize() {
      return size !== null;
    },
    setSourceSize: (w, h) => ((size = [w, h]), calls.push(`size ${w}x${h}`)),
    onJpeg: (seq, pts, jpeg) => calls.push(`jpeg ${seq} ${pts} ${jpeg.length}`),
    onRaw: (seq, pts, data) => calls.push(`raw ${seq} ${pts} ${[...data].join(',')}`),
  };
  const outputs = new FfmpegRunOutputs({ runBase: 100, fps: 5, pipeline, discarding: () => false, onFrame: (index, seq) => calls.push(`frame ${index} ${seq}`), ...o });
  return { outputs, calls };
}

describe('FfmpegRunOutputs', () => {
  it('numbers both outputs from the run base; the first JPEG gives the source size; raw frames are cut to size', () => {
    const { outputs, calls } = setup({ rawFrameBytes: 2 });
    const readers = outputs.readers();
    readers.jpeg(Buffer.concat([fakeJpeg(640, 360, 1), fakeJpeg(640, 360, 2)]));
    readers.raw!.push(Buffer.from([1, 2, 3]));
    readers.raw!.push(Buffer.from([4]));
    expect(calls).toEqual(['size 640x360', 'frame 0 100', 'jpeg 100 0 28', 'frame 1 101', 'jpeg 101 0.2 28', 'raw 100 0 1,2', 'raw 101 0.2 3,4']);
  });

  it('has no raw reader without a raw output, and drops JPEGs while the run is being killed', () => {
    let discarding = true;
    const { outputs, calls } = setup({ discarding: () => discarding });
    expect(outputs.readers().raw).toBeNull();
    outputs.readers().jpeg(fakeJpeg(320, 240, 1));
    expect(calls).toEqual([]);
    discarding = false;
    outputs.readers().jpeg(fakeJpeg(320, 240, 1));
    expect(calls).toEqual(['size 320x240', 'frame 0 100', 'jpeg 100 0 28']);
  });
});
