import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../../../test/support/shared-fixtures';
import { MemoryAuditSink } from '../audit/audit-sink';
import { nullLogger } from '../logging/logger';
import { openDatabase, type Db } from '../storage/database';
import { keyFileSecretBox } from '../storage/key-file-secret-box';
import { FaceAnalyzer } from './face-analyzer';
import { matchFace } from './face-matcher';
import { readRgbImage } from './rgb-image';
import { WatchlistService } from './watchlist.service';

/** Real SQLite (all migrations, 18 included), the key-file SecretBox and the converted face models. */
const models = { detector: path.join(repoRoot, 'native-models/generated/face-detector.json'), embedding: path.join(repoRoot, 'native-models/generated/face-embedding.json') };
const photo = (p: string, n: string) => fs.readFileSync(fixtures.faces('identities', p, n)).toString('base64');

describe('WatchlistService', () => {
  let dataDir: string;
  let db: Db;
  let analyzer: FaceAnalyzer;
  let svc: WatchlistService;
  const audit = new MemoryAuditSink();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-watchlist-'));
    db = openDatabase({ dataDir, logger: nullLogger });
    analyzer = await FaceAnalyzer.create(models);
    svc = new WatchlistService({ db, box: keyFileSecretBox(dataDir), audit, analyzer: async () => analyzer });
  });
  afterAll(async () => {
    db.close();
    await analyzer.dispose();
  });

  it('enrols from photos, seals name, photos and embeddings at rest, and matches the person later', async () => {
    const e = await svc.enrol({ name: 'Lisa Example', category: 'banned', expiresAt: null, photos: [photo('lisa', '1.jpg'), photo('lisa', '4.jpg')] }, 'sup1');
    expect(e).toMatchObject({ name: 'Lisa Example', category: 'banned', photos: 2, enrolledBy: 'sup1', falseMatchRate: null });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const raw = fs.readFileSync(path.join(dataDir, 'watchroom.db'));
    expect(raw.includes(Buffer.from('Lisa Example'))).toBe(false);
    const jpegStart = fs.readFileSync(fixtures.faces('identities', 'lisa', '1.jpg')).subarray(0, 64);
    expect(raw.includes(jpegStart)).toBe(false);
    expect(raw.includes(Buffer.from(jpegStart.toString('base64').slice(0, 40)))).toBe(false);

    const list = svc.activeEmbeddings();
    expect(list).toHaveLength(1);
    const probe = (await analyzer.analyze(readRgbImage(fixtures.faces('identities', 'lisa', '6.jpg'))))[0]!;
    expect(matchFace(probe.embedding!, list, svc.thresholds())?.name).toBe('Lisa Example');
    const other = (await analyzer.analyze(readRgbImage(fixtures.image('skimage_astronaut.png'))))[0]!;
    expect(matchFace(other.embedding!, list, svc.thresholds())).toBeNull();
    expect(audit.entries.map((a) => a.action)).toContain('faces.enrol');
  });

  it('refuses photos with no face, two faces or a corrupt file, and stores nothing', async () => {
    const before = (db.prepare('SELECT COUNT(*) AS n FROM face_watchlist').get() as { n: number }).n;
    const b64 = (f: string) => fs.readFileSync(f).toString('base64');
    await expect(svc.enrol({ name: 'X', category: 'vip', expiresAt: null, photos: [b64(fixtures.image('intel_head_pose_two_faces.png'))] }, 'sup1')).rejects.toThrow(/Photo 1: the photo shows 2 faces/);
    await expect(svc.enrol({ name: 'X', category: 'vip', expiresAt: null, photos: [photo('lisa', '2.jpg'), Buffer.from('garbage').toString('base64')] }, 'sup1')).rejects.toThrow(/Photo 2 is not a readable picture/);
    await expect(svc.enrol({ name: 'X', category: 'vip', expiresAt: null, photos: [b64(fixtures.image('darknet_kite.jpg'))] }, 'sup1')).rejects.toThrow(/Photo 1: (no face found|the face is not usable)/);
    expect((db.prepare('SELECT COUNT(*) AS n FROM face_watchlist').get() as { n: number }).n).toBe(before);
  });

  it('every look is audited; a match keeps its evidence, the decision feeds the false-match rate; export and erase', async () => {
    const [entry] = svc.list('sup2');
    expect(audit.entries.at(-1)).toMatchObject({ action: 'faces.watchlist.view', actor: 'sup2' });
    const img = readRgbImage(fixtures.faces('identities', 'lisa', '5.jpg'));
    const face = (await analyzer.analyze(img))[0]!;
    const id = svc.recordMatch({ entryId: entry!.id, cameraId: 'cam-1', track: 7, similarity: 0.8, crop: face.crop!, cropSize: analyzer.cropSize });
    const view = svc.match(id, 'off1');
    expect(view).toMatchObject({ name: 'Lisa Example', cameraId: 'cam-1', track: 7, similarity: 0.8, outcome: null });
    expect(view.seenFace).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(view.enrolledFace).toMatch(/^data:image\/jpeg;base64,/);
    svc.decide(id, 'rejected', 'off1');
    expect(() => svc.decide(id, 'confirmed', 'off2')).toThrow(/already rejected by off1/);
    expect(svc.list('sup2')[0]!.falseMatchRate).toBe(1);
    const exported = svc.export(entry!.id, 'sup2');
    expect(exported.photos).toHaveLength(2);
    expect(exported.matches).toHaveLength(1);
    expect(svc.erase(entry!.id, 'sup2')).toEqual({ matches: 1 });
    for (const t of ['face_watchlist', 'face_watchlist_photos', 'face_matches']) expect(db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    expect(audit.entries.map((a) => a.action)).toEqual(expect.arrayContaining(['faces.match.view', 'faces.match.reject', 'faces.export', 'faces.erase']));
  });

  it('cameras are off by default; switching on needs the legal notice accepted; thresholds are audited', () => {
    expect(svc.cameraEnabled('cam-1')).toBe(false);
    expect(() => svc.setCamera('cam-1', true, 'adm', false)).toThrow(/legal notice/);
    svc.setCamera('cam-1', true, 'adm', true);
    expect(svc.enabledCameras()).toEqual(['cam-1']);
    svc.setCamera('cam-1', false, 'adm', false);
    expect(svc.cameraEnabled('cam-1')).toBe(false);
    expect(svc.setThreshold('banned', 0.7, 'sup1').banned).toBe(0.7);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'faces.threshold', detail: { before: 0.62, after: 0.7 } });
    expect(() => svc.setThreshold('vip', 0.2, 'sup1')).toThrow(/between 0.40/);
  });

  it('expired entries are not matched', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const timed = new WatchlistService({ db, box: keyFileSecretBox(dataDir), audit, analyzer: async () => analyzer, now: () => now });
    await timed.enrol({ name: 'Temp', category: 'vip', expiresAt: '2030-01-02T00:00:00Z', photos: [photo('frl_004_male_white', '1.jpg')] }, 'sup1');
    expect(timed.activeEmbeddings().map((e) => e.name)).toContain('Temp');
    now = new Date('2030-01-03T00:00:00Z');
    expect(timed.activeEmbeddings().map((e) => e.name)).not.toContain('Temp');
  });
});
