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
  const scheduler = new FairScheduler<string, string>((batch) => Promise.all(batch.map((b) => det.run(b.item))), () => 1, () => undefined, () => sessions);
  const faces = new IdleTimeQueue<string, string>({ run: face.run, busy: () => scheduler.saturated, capacity });
  scheduler.onIdle(() => faces.kick());
  return { log, det, face, scheduler, faces };
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

  it('a failing job is answered with its error; close answers the waiting ones skipped and refuses new ones', async () => {
    const faces = new IdleTimeQueue<string, string>({ run: async () => Promise.reject(new Error('the face-detector model is not installed')), busy: () => false, capacity: 2 });
    expect(await faces.submit('cam-a', 'look')).toEqual({ status: 'error', message: 'the face-detector model is not installed' });
    const busy = new IdleTimeQueue<string, string>({ run: async (s) => s, busy: () => true, capacity: 2 });
    const waiting = busy.submit('cam-a', 'look');
    busy.close();
    expect(await waiting).toMatchObject({ status: 'skipped' });
    expect(await busy.submit('cam-a', 'look')).toMatchObject({ status: 'skipped', reason: 'the inference worker is stopping' });
  });
});
