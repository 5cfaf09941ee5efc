import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection } from '../../shared/domain/detection';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import { MemoryAuditSink } from '../audit/audit-sink';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import { FaceAnalyzer } from './face-analyzer';
import { lookAtFaces } from './face-look';
import { FaceWatch } from './face-watch';
import { readRgbImage } from './rgb-image';
import { WatchlistService } from './watchlist.service';

/**
 * The live face step with real SQLite, SecretBox and face models: what is (not) stored, and how often it looks.
 * The looks run in this process here (the same lookAtFaces the inference worker runs; the worker path is covered
 * by face-look-worker.int.test.ts).
 */
const models = { detector: path.join(repoRoot, 'native-models/generated/face-detector.json'), embedding: path.join(repoRoot, 'native-models/generated/face-embedding.json') };
const person = (track: number): Detection => ({ cls: 'person', score: 0.9, box: [0.25, 0.38, 0.75, 1], track }) as Detection;
const listing = (dir: string): string[] => fs.readdirSync(dir, { recursive: true }).map(String).sort();
/** A fixture photo as the live step gets a frame: its JPEG bytes and its size. */
const photo = (...p: string[]) => {
  const file = fixtures.faces(...p);
  const { width, height } = readRgbImage(file);
  return { jpeg: new Uint8Array(fs.readFileSync(file)), width, height };
};
const count = (db: Db, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('FaceWatch', () => {
  let dataDir: string;
  let db: Db;
  let analyzer: FaceAnalyzer;
  let opened = 0;
  let faces: WatchlistService;
  const matches: { name: string; track: number }[] = [];
  let watch: FaceWatch;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-facewatch-'));
    db = openDatabase({ dataDir, logger: nullLogger });
    analyzer = await FaceAnalyzer.create(models);
    const open = async (look: Parameters<typeof lookAtFaces>[1]) => {
      opened++;
      return lookAtFaces(analyzer, look);
    };
    faces = new WatchlistService({ db, box: keyFileSecretBox(dataDir), audit: new MemoryAuditSink(), analyzer: async () => analyzer });
    watch = new FaceWatch({ faces, look: open, onMatch: (m) => matches.push({ name: m.name, track: m.track }) });
    await faces.enrol({ name: 'Listed Person', category: 'banned', expiresAt: null, photos: [fs.readFileSync(fixtures.faces('identities', 'frl_004_male_white', '1.jpg')).toString('base64')] }, 'sup');
  });
  afterAll(async () => {
    db.close();
    await analyzer.dispose();
  });

  it('a camera with faces off looks at nothing and stores nothing about faces (database and data folder)', async () => {
    const before = listing(dataDir);
    await watch.frame('cam-off', photo('identities', 'frl_004_male_white', '2.jpg'), [person(1)], 0);
    expect(opened).toBe(0);
    expect(count(db, 'face_matches')).toBe(0);
    expect(listing(dataDir)).toEqual(before);
  });

  it('faces on: a person not on the list leaves nothing behind; a listed person is matched once per track', async () => {
    faces.setCamera('cam-on', true, 'adm', true);
    const before = listing(dataDir);
    await watch.frame('cam-on', photo('identities', 'frl_005_male_east_asian', '2.jpg'), [person(1)], 0);
    expect(opened).toBe(1);
    expect(count(db, 'face_matches')).toBe(0);
    expect(matches).toEqual([]);
    expect(listing(dataDir)).toEqual(before);
    const listed = photo('identities', 'frl_004_male_white', '2.jpg');
    await watch.frame('cam-on', listed, [person(2)], 0);
    expect(matches).toEqual([{ name: 'Listed Person', track: 2 }]);
    expect(count(db, 'face_matches')).toBe(1);
    await watch.frame('cam-on', listed, [person(2)], 5_000);
    expect(count(db, 'face_matches')).toBe(1);
  });

  it('picks confirmed person tracks only, a few a frame, and looks at a track again only after the interval', async () => {
    const w = new FaceWatch({ faces, look: (l) => lookAtFaces(analyzer, l), perTrackIntervalMs: 1_000, maxTracksPerFrame: 1 });
    const dets = [person(1), person(2), { ...person(3), cls: 'car' } as Detection, { ...person(4), track: undefined } as Detection];
    expect(w.pick('c', dets, 0).map((d) => d.track)).toEqual([1]);
    const img = photo('identities', 'frl_005_male_east_asian', '2.jpg');
    await w.frame('cam-on', img, [person(1), person(2)], 0);
    expect(w.pick('cam-on', [person(1), person(2)], 500).map((d) => d.track)).toEqual([2]);
    await w.frame('cam-on', img, [person(1), person(2)], 500);
    expect(w.pick('cam-on', [person(1), person(2)], 900)).toEqual([]);
    expect(w.pick('cam-on', [person(1), person(2)], 1_000).map((d) => d.track)).toEqual([1]);
  });
});
