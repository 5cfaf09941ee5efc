import { describe, expect, it } from 'vitest';
import { FairScheduler } from './fair-scheduler';

/** A runner the test releases by hand, recording what ran. */
function manualRunner() {
  const ran: string[][] = [];
  let release: (() => void) | null = null;
  const runner = async (batch: { cameraId: string; item: number }[]) => {
    ran.push(batch.map((b) => `${b.cameraId}:${b.item}`));
    await new Promise<void>((r) => (release = r));
    return batch.map((b) => b.item * 10);
  };
  const step = async () => {
    for (let i = 0; i < 50 && !release; i++) await new Promise((r) => setTimeout(r, 1));
    const r = release as (() => void) | null;
    release = null;
    r?.();
    await new Promise((r2) => setTimeout(r2, 1));
  };
  return { ran, runner, step };
}

describe('FairScheduler', () => {
  it('latest frame wins: a replaced pending frame is answered dropped and counted', async () => {
    const { runner, step, ran } = manualRunner();
    const s = new FairScheduler<number, number>(runner);
    const a1 = s.submit('a', 1); // runs
    const a2 = s.submit('a', 2); // pending
    const a3 = s.submit('a', 3); // replaces 2
    expect(await a2).toEqual({ status: 'dropped' });
    expect(s.pendingCount).toBe(1);
    await step();
    expect(await a1).toEqual({ status: 'done', value: 10 });
    await step();
    expect(await a3).toEqual({ status: 'done', value: 30 });
    expect(ran).toEqual([['a:1'], ['a:3']]);
    expect(s.snapshot().a).toMatchObject({ processed: 2, dropped: 1 });
  });

  it('serves cameras round-robin: a busy camera cannot starve the others', async () => {
    const { runner, step, ran } = manualRunner();
    const s = new FairScheduler<number, number>(runner);
    void s.submit('a', 1);
    void s.submit('b', 1);
    void s.submit('c', 1);
    await step(); // a:1 done
    void s.submit('a', 2); // a goes to the back, behind b and c
    await step();
    await step();
    await step();
    expect(ran.map((b) => b[0])).toEqual(['a:1', 'b:1', 'c:1', 'a:2']);
  });

  it('never holds more than one pending frame per camera', async () => {
    const { runner, step } = manualRunner();
    const s = new FairScheduler<number, number>(runner);
    const outs = [];
    for (let i = 0; i < 100; i++) outs.push(s.submit(`cam${i % 4}`, i));
    expect(s.pendingCount).toBeLessThanOrEqual(4);
    for (let i = 0; i < 5; i++) await step();
    const res = await Promise.all(outs);
    expect(res.filter((r) => r.status === 'dropped').length).toBe(100 - 5);
    const snap = s.snapshot();
    expect(Object.values(snap).reduce((n, v) => n + v.dropped, 0)).toBe(95);
  });

  it('batches across cameras when the model allows it', async () => {
    const { runner, step, ran } = manualRunner();
    const s = new FairScheduler<number, number>(runner, () => 3);
    void s.submit('a', 1);
    void s.submit('b', 1);
    void s.submit('c', 1);
    void s.submit('d', 1);
    await step();
    await step();
    expect(ran).toEqual([['a:1'], ['b:1', 'c:1', 'd:1']]);
  });

  it('answers errors and close()', async () => {
    const s = new FairScheduler<number, number>(async () => {
      throw new Error('boom');
    });
    expect(await s.submit('a', 1)).toEqual({ status: 'error', message: 'boom' });
    s.close();
    expect((await s.submit('a', 2)).status).toBe('error');
  });
});

describe('FairScheduler with parallel sessions', () => {
  it('keeps up to maxInFlight runs going, still one slot per camera', async () => {
    const releases: (() => void)[] = [];
    let concurrent = 0;
    let peak = 0;
    const s = new FairScheduler<number, number>(
      async (batch) => {
        concurrent++;
        peak = Math.max(peak, concurrent);
        await new Promise<void>((r) => releases.push(r));
        concurrent--;
        return batch.map((b) => b.item);
      },
      () => 1,
      () => undefined,
      () => 2,
    );
    const outs = ['a', 'b', 'c'].map((c) => s.submit(c, 1));
    await new Promise((r) => setTimeout(r, 5));
    expect(peak).toBe(2);
    expect(s.pendingCount).toBe(1);
    for (let i = 0; i < 3; i++) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await Promise.all(outs)).map((o) => o.status)).toEqual(['done', 'done', 'done']);
  });
});

describe('FairScheduler groups', () => {
  it('batches only frames of the same group (model); the others keep their turn', async () => {
    const ran: string[][] = [];
    const s = new FairScheduler<{ m: string; v: number }, number>(
      async (batch) => {
        ran.push(batch.map((b) => `${b.cameraId}:${b.item.m}`));
        await new Promise((r) => setTimeout(r, 1));
        return batch.map((b) => b.item.v);
      },
      () => 4,
      () => undefined,
      () => 1,
      (item) => item.m,
    );
    const all = [s.submit('a', { m: 'x', v: 1 }), s.submit('b', { m: 'y', v: 2 }), s.submit('c', { m: 'x', v: 3 }), s.submit('d', { m: 'y', v: 4 })];
    const out = await Promise.all(all);
    expect(out.map((o) => (o.status === 'done' ? o.value : o.status))).toEqual([1, 2, 3, 4]);
    // 'a' ran alone (it was submitted first and started at once); then b and d (model y) together, then c
    expect(ran).toEqual([['a:x'], ['b:y', 'd:y'], ['c:x']]);
  });

  it('a tiled frame is one turn of its camera that weighs as many model inputs as it has tiles', async () => {
    const { runner, step, ran } = manualRunner();
    // items are the number of tiles of each frame; a batch holds at most 4 model inputs
    const s = new FairScheduler<number, number>(runner, () => 4, undefined, undefined, undefined, (tiles) => tiles);
    void s.submit('busy', 1); // runs alone, the others queue behind it
    void s.submit('tiled', 3);
    void s.submit('b', 1);
    void s.submit('c', 1);
    void s.submit('d', 1);
    await step();
    await step();
    await step();
    // 3 + 1 = 4 inputs in the first batch after 'busy'; c and d wait for the next turn, in their order
    expect(ran).toEqual([['busy:1'], ['tiled:3', 'b:1'], ['c:1', 'd:1']]);
  });

  it('a tiled frame heavier than the batch limit still runs, alone', async () => {
    const { runner, step, ran } = manualRunner();
    const s = new FairScheduler<number, number>(runner, () => 1, undefined, undefined, undefined, (tiles) => tiles);
    const done = s.submit('tiled', 5);
    void s.submit('b', 1);
    await step();
    await step();
    expect(await done).toEqual({ status: 'done', value: 50 });
    expect(ran).toEqual([['tiled:5'], ['b:1']]);
  });
});
