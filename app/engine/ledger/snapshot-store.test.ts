import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { SnapshotStore } from './snapshot-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function store(maxBytes?: number): SnapshotStore {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-snap-'));
  dirs.push(d);
  return new SnapshotStore({ dataDir: d, maxBytes, logger: nullLogger });
}
function grey(w = 320, h = 240): Uint8Array {
  const data = Buffer.alloc(w * h * 4, 90);
  return jpeg.encode({ data, width: w, height: h }, 90).data;
}
const T = Date.UTC(2026, 10, 23, 9, 30);

describe('SnapshotStore', () => {
  it('saves <date>/<eventId>.jpg with the box drawn', async () => {
    const s = store();
    const id = ulid(T);
    const rel = SnapshotStore.relativePath(id, T);
    expect(rel).toBe(`2026-11-23/${id}.jpg`);
    expect(await s.save(rel, grey(), [0.25, 0.25, 0.75, 0.75])).toBe(true);
    const img = jpeg.decode(fs.readFileSync(s.resolve(rel)!), { formatAsRGBA: true });
    const px = (x: number, y: number) => [...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];
    const edge = px(160, 60); // on the top side of the box
    expect(edge[0]).toBeGreaterThan(200);
    expect(edge[2]).toBeLessThan(60);
    expect(Math.abs(px(160, 120)[0]! - 90)).toBeLessThan(12); // inside: untouched
    expect(await s.save(rel, grey(), null)).toBe(false); // one snapshot per event
  });

  it('resolves only its own references (no traversal)', () => {
    const s = store();
    for (const bad of ['../watchroom.db', '2026-11-23/../../x.jpg', '/etc/passwd', '2026-11-23/abc.jpg', `2026-11-23/${ulid()}.jpg/..`]) {
      expect(s.resolve(bad)).toBeNull();
    }
    const ok = s.resolve(`2026-11-23/${ulid()}.jpg`)!;
    expect(ok.startsWith(s.root + path.sep)).toBe(true);
  });

  it('keeps the total under the cap by deleting the oldest first', async () => {
    const one = (await (async () => {
      const s = store();
      const rel = SnapshotStore.relativePath(ulid(T), T);
      await s.save(rel, grey(), [0.1, 0.1, 0.2, 0.2]);
      return s.sizeBytes();
    })());
    const s = store(Math.floor(one * 3.5));
    const rels: string[] = [];
    for (let i = 0; i < 6; i++) {
      const ms = T + i * 86_400_000; // one per day
      rels.push(SnapshotStore.relativePath(ulid(ms), ms));
    }
    await Promise.all(rels.map((r) => s.save(r, grey(), [0.1, 0.1, 0.2, 0.2])));
    await s.idle();
    const kept = rels.filter((r) => fs.existsSync(s.resolve(r)!));
    expect(kept).toEqual(rels.slice(3));
    expect(s.sizeBytes()).toBeLessThanOrEqual(one * 3.5);
  });

  it('drops a broken frame without throwing', async () => {
    const s = store();
    expect(await s.save(SnapshotStore.relativePath(ulid(T), T), new Uint8Array([1, 2, 3]), null)).toBe(false);
  });
});
