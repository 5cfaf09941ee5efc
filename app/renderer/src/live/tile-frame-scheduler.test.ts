import { describe, expect, it } from 'vitest';
import type { LiveFrame } from '../../../shared/domain/detection';
import { TileFrameScheduler } from './tile-frame-scheduler';

class Pic {
  closed = false;
  constructor(readonly seq: number) {}
  close() {
    if (this.closed) throw new Error(`double close ${this.seq}`);
    this.closed = true;
  }
}

function frame(seq: number): LiveFrame {
  return { cameraId: 'c1', seq, pts: seq / 10, capturedAt: 0, width: 640, height: 480, detections: [], jpeg: new Uint8Array([seq]) };
}

function harness(opts: { failSeq?: number } = {}) {
  const decodes: { seq: number; resolve: () => void; reject: () => void }[] = [];
  const rafs: (() => void)[] = [];
  const painted: { pic: Pic; seq: number }[] = [];
  const pics: Pic[] = [];
  const p = new TileFrameScheduler<Pic>({
    decode: (jpeg) =>
      new Promise<Pic>((resolve, reject) => {
        const seq = jpeg[0]!;
        decodes.push({ seq, resolve: () => { const pic = new Pic(seq); pics.push(pic); resolve(pic); }, reject: () => reject(new Error('bad jpeg')) });
      }),
    requestFrame: (cb) => rafs.push(cb),
    cancelFrame: () => {},
    paint: (pic, f) => {
      expect(pic.closed).toBe(false);
      expect(pic.seq).toBe(f.seq); // picture and overlay come from the same frame
      painted.push({ pic, seq: f.seq });
    },
  });
  const flush = () => new Promise((r) => setTimeout(r, 0));
  const runRaf = () => rafs.splice(0).forEach((cb) => cb());
  void opts;
  return { p, decodes, rafs, painted, pics, flush, runRaf };
}

describe('TileFrameScheduler', () => {
  it('decodes, paints on the next animation frame and closes the replaced picture', async () => {
    const h = harness();
    h.p.push(frame(1));
    h.decodes[0]!.resolve();
    await h.flush();
    expect(h.painted).toHaveLength(0);
    h.runRaf();
    expect(h.painted.map((x) => x.seq)).toEqual([1]);
    h.p.push(frame(2));
    h.decodes[1]!.resolve();
    await h.flush();
    h.runRaf();
    expect(h.painted.map((x) => x.seq)).toEqual([1, 2]);
    expect(h.pics[0]!.closed).toBe(true);
    expect(h.pics[1]!.closed).toBe(false);
    expect(h.p.current()?.seq).toBe(2);
  });

  it('keeps only the newest frame while a decode runs', async () => {
    const h = harness();
    h.p.push(frame(1));
    h.p.push(frame(2));
    h.p.push(frame(3));
    h.p.push(frame(4));
    expect(h.decodes.map((d) => d.seq)).toEqual([1]);
    h.decodes[0]!.resolve();
    await h.flush();
    expect(h.decodes.map((d) => d.seq)).toEqual([1, 4]);
    expect(h.p.counters.droppedBeforeDecode).toBe(2);
  });

  it('drops a decoded frame that a newer one replaced before painting, closing it', async () => {
    const h = harness();
    h.p.push(frame(1));
    h.p.push(frame(2));
    h.decodes[0]!.resolve();
    await h.flush();
    h.decodes[1]!.resolve();
    await h.flush();
    expect(h.rafs).toHaveLength(1); // one paint scheduled, not two
    h.runRaf();
    expect(h.painted.map((x) => x.seq)).toEqual([2]);
    expect(h.pics[0]!.closed).toBe(true);
    expect(h.p.counters.droppedBeforePaint).toBe(1);
  });

  it('survives a decode error and goes on with the next frame', async () => {
    const h = harness();
    h.p.push(frame(1));
    h.p.push(frame(2));
    h.decodes[0]!.reject();
    await h.flush();
    h.decodes[1]!.resolve();
    await h.flush();
    h.runRaf();
    expect(h.painted.map((x) => x.seq)).toEqual([2]);
    expect(h.p.counters.decodeErrors).toBe(1);
  });

  it('closes everything on dispose, including a decode that finishes afterwards', async () => {
    const h = harness();
    h.p.push(frame(1));
    h.decodes[0]!.resolve();
    await h.flush();
    h.runRaf();
    h.p.push(frame(2));
    h.p.dispose();
    h.decodes[1]!.resolve();
    await h.flush();
    expect(h.pics.every((p) => p.closed)).toBe(true);
    h.p.push(frame(3));
    expect(h.decodes).toHaveLength(2);
  });

  it('repaint draws the frame on screen again without closing it', async () => {
    const h = harness();
    h.p.push(frame(5));
    h.decodes[0]!.resolve();
    await h.flush();
    h.runRaf();
    h.p.repaint();
    expect(h.painted.map((x) => x.seq)).toEqual([5, 5]);
    expect(h.pics[0]!.closed).toBe(false);
  });
});
