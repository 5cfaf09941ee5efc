import { describe, expect, it } from 'vitest';
import { FairScheduler } from './fair-scheduler';
import { IdleTimeQueue } from './idle-time-queue';

/** Jobs the test finishes by hand; `log` records in order what started (detection frames and face jobs). */
function gatedRunner(log: string[], tag: string) {
  const gates: (() => void)[] = [];
  const run = async (what: string) => {
    log.push(`${tag}:${what}`);
    await new Promise<void>((r) => gates.push(r));
    return `${what} done`;
  };
  return { run, release: () => gates.shift()?.(), get open() { return gates.length; } };
}
const turn = () => new Promise((r) => setImmediate(r));
const settle = async () => {
  for (let i = 0; i < 5; i++) await turn();
};

/** The inference worker's arrangement: detection frames in a FairScheduler, face jobs in an IdleTimeQueue. */
function worker(sessions = 1, capacity = 2) {
  const log: string[] = [];
  const det = gatedRunner(log, 'detect');
  const face = gatedRunner(log, 'face');
  /** The queue's clock, and the frames' wait as the scheduler would report it (ms), both set by the test. */
  const clock = { ms: 0, waitedMs: 0 };
  const scheduler = new FairScheduler<string, string>((batch) => Promise.all(batch.map((b) => det.run(b.item))), () => 1, () => undefined, () => sessions);
  const faces = new IdleTimeQueue<string, string>({ run: face.run, acquire: () => scheduler.lendSession(), waitedMs: () => clock.waitedMs, share: 0.1, capacity, now: () => clock.ms });
  scheduler.onIdle(() => faces.kick());
  return { log, det, face, scheduler, faces, clock };
}

describe('IdleTimeQueue (face looks in the inference worker)', () => {
  it('runs a face job only when no detection frame waits and a session is free; detection frames always go first', async () => {
    const { log, det, face, scheduler, faces } = worker(1);
    const f1 = scheduler.submit('cam-a', 'frame-a1'); // runs: the one session is busy
    const look = faces.submit('cam-a', 'look-a');
    await settle();
    expect(log).toEqual(['detect:frame-a1']); // the session is taken: the face job waits
    const f2 = scheduler.submit('cam-b', 'frame-b1'); // arrives after the look, still goes first
    det.release();
    await settle();
    expect(log).toEqual(['detect:frame-a1', 'detect:frame-b1']);
    det.release();
    await settle();
    // detection idle: now the look starts
    expect(log).toEqual(['detect:frame-a1', 'detect:frame-b1', 'face:look-a']);
    expect(await f1).toMatchObject({ status: 'done' });
    expect(await f2).toMatchObject({ status: 'done' });
    face.release();
    expect(await look).toEqual({ status: 'done', value: 'look-a done' });
  });

  it('a detection frame that arrives while a face job runs starts at once on a free session', async () => {
    const { log, det, face, scheduler, faces } = worker(2);
    const look = faces.submit('cam-a', 'look-a');
    await settle();
    expect(log).toEqual(['face:look-a']);
    const f = scheduler.submit('cam-a', 'frame-a1');
    await settle();
    expect(log).toEqual(['face:look-a', 'detect:frame-a1']);
    det.release();
    face.release();
    expect(await f).toMatchObject({ status: 'done' });
    expect(await look).toMatchObject({ status: 'done' });
  });

  it('one face job at a time, and none while every session runs detection', async () => {
    const { log, det, face, scheduler, faces } = worker(2, 4);
    void scheduler.submit('cam-a', 'frame-a1');
    void scheduler.submit('cam-b', 'frame-b1');
    const looks = [faces.submit('cam-a', 'look-a'), faces.submit('cam-b', 'look-b')];
    await settle();
    expect(log).toEqual(['detect:frame-a1', 'detect:frame-b1']);
    det.release(); // one session free: one look starts, not two
    await settle();
    expect(log.slice(2)).toEqual(['face:look-a']);
    det.release();
    await settle();
    expect(log.slice(2)).toEqual(['face:look-a']);
    face.release();
    await settle();
    expect(log.slice(2)).toEqual(['face:look-a', 'face:look-b']);
    face.release();
    expect((await Promise.all(looks)).map((o) => o.status)).toEqual(['done', 'done']);
  });

  it('is bounded: a newer look of a camera replaces its waiting one, and a full queue refuses a new camera', async () => {
    const { det, face, scheduler, faces } = worker(1, 2);
    void scheduler.submit('cam-x', 'frame-x1'); // keeps detection busy: nothing of the queue starts
    const a1 = faces.submit('cam-a', 'look-a1');
    const b1 = faces.submit('cam-b', 'look-b1');
    const a2 = faces.submit('cam-a', 'look-a2');
    expect(await a1).toEqual({ status: 'skipped', reason: 'replaced by a newer look of the camera' });
    expect(await faces.submit('cam-c', 'look-c1')).toEqual({ status: 'skipped', reason: 'face looks queue full' });
    expect(faces.pendingCount).toBe(2);
    det.release();
    await settle();
    face.release();
    await settle();
    face.release();
    expect(await b1).toMatchObject({ status: 'done', value: 'look-b1 done' });
    expect(await a2).toMatchObject({ status: 'done', value: 'look-a2 done' });
  });

  it('a face job holds its session: a frame that comes meanwhile waits for it, and the next job rests so that jobs keep at most their share', async () => {
    const { log, det, face, scheduler, faces, clock } = worker(1, 4);
    const a = faces.submit('cam-a', 'look-a');
    await settle();
    expect(log).toEqual(['face:look-a']);
    const f = scheduler.submit('cam-x', 'frame-x1'); // the one session is lent to the look: the frame waits
    const b = faces.submit('cam-b', 'look-b');
    await settle();
    expect(log).toEqual(['face:look-a']);
    clock.ms = 40;
    clock.waitedMs = 40; // the frame waited 40 ms for the look's session: no look for 40 x (1 / 0.1 - 1) = 360 ms
    face.release();
    await settle();
    expect(log).toEqual(['face:look-a', 'detect:frame-x1']);
    det.release();
    expect(await f).toMatchObject({ status: 'done' });
    expect(await a).toMatchObject({ status: 'done' });
    await settle();
    clock.ms = 399;
    await new Promise((r) => setTimeout(r, 400));
    expect(log).toEqual(['face:look-a', 'detect:frame-x1']); // still resting
    clock.ms = 400;
    for (let i = 0; i < 100 && log.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(log).toEqual(['face:look-a', 'detect:frame-x1', 'face:look-b']);
    face.release();
    expect(await b).toMatchObject({ status: 'done' });
  });

  it('without frames kept waiting, jobs follow each other at once', async () => {
    const { log, face, faces } = worker(2, 4);
    const a = faces.submit('cam-a', 'look-a');
    const b = faces.submit('cam-b', 'look-b');
    await settle();
    face.release();
    await settle();
    expect(log).toEqual(['face:look-a', 'face:look-b']);
    face.release();
    expect((await Promise.all([a, b])).map((o) => o.status)).toEqual(['done', 'done']);
  });

  it('a failing job is answered with its error; close answers the waiting ones skipped and refuses new ones', async () => {
    const free = { acquire: () => () => undefined, waitedMs: () => 0, share: 0.1 };
    const faces = new IdleTimeQueue<string, string>({ run: async () => Promise.reject(new Error('the face-detector model is not installed')), ...free, capacity: 2 });
    expect(await faces.submit('cam-a', 'look')).toEqual({ status: 'error', message: 'the face-detector model is not installed' });
    const busy = new IdleTimeQueue<string, string>({ run: async (s) => s, acquire: () => null, waitedMs: () => 0, share: 0.1, capacity: 2 });
    const waiting = busy.submit('cam-a', 'look');
    busy.close();
    expect(await waiting).toMatchObject({ status: 'skipped' });
    expect(await busy.submit('cam-a', 'look')).toMatchObject({ status: 'skipped', reason: 'the inference worker is stopping' });
  });
});
