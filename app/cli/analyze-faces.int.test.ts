import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtures, repoRoot } from '../../test/support/shared-fixtures';

/**
 * `analyze --faces --watchlist` with the face models converted from @vladmandic/human (native-models/generated),
 * real ffmpeg and ONNX Runtime. The similarities are printed for the record (native-models/README.md).
 */
const cli = path.join(repoRoot, 'dist/node/analyze.cjs');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'wr-faces-'));
const dataDir = tmp();

interface FaceOut { box: number[]; track: number | null; quality: number; rejected?: string; match: { name: string; similarity: number } | null }
interface Line { frame: number; faces: FaceOut[] }

function analyze(source: string, watchlist: string, extra: string[] = []): { lines: Line[]; summary: { faceMatches: Record<string, number> } } {
  const out = path.join(tmp(), 'out.jsonl');
  const stdout = execFileSync(process.execPath, [cli, '--source', source, '--model', fixtures.model('yolox_nano.onnx'), '--faces', '--watchlist', watchlist, '--out', out, ...extra], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, WATCHROOM_DATA_DIR: dataDir } });
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
  return { lines, summary: JSON.parse(stdout.trim().split('\n').pop()!) as { faceMatches: Record<string, number> } };
}

function analyzeFails(source: string, watchlist: string | null, env: Record<string, string> = {}): string {
  const args = [cli, '--source', source, '--model', fixtures.model('yolox_nano.onnx'), '--faces', ...(watchlist ? ['--watchlist', watchlist] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, WATCHROOM_DATA_DIR: dataDir, ...env } });
  expect(r.status).toBe(2);
  return r.stderr;
}

/** Frame `n` of a clip, cropped (ffmpeg crop syntax), as a PNG. */
function frameCrop(video: string, n: number, crop: string, file: string): string {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', video, '-vf', `select=eq(n\\,${n}),crop=${crop}`, '-frames:v', '1', file]);
  return file;
}

beforeAll(() => {
  if (!fs.existsSync(cli)) execFileSync(process.execPath, ['scripts/build-node.mjs'], { cwd: repoRoot });
});

describe('analyze --faces: identities (enrol from the first photo only)', () => {
  const people = fs.readdirSync(fixtures.faces('identities')).sort();
  const photos = (p: string) => fs.readdirSync(fixtures.faces('identities', p)).sort().map((f) => fixtures.faces('identities', p, f));
  const listed = people.filter((p) => photos(p).length >= 2);
  let watchlist = '';
  beforeAll(() => {
    watchlist = tmp();
    for (const p of listed) fs.copyFileSync(photos(p)[0]!, path.join(watchlist, `${p}${path.extname(photos(p)[0]!)}`));
  });

  it('at least 90 % of the other photos match the right person; no photo matches anyone else', () => {
    const record: string[] = [];
    let right = 0;
    let others = 0;
    for (const p of people) {
      const probes = listed.includes(p) ? photos(p).slice(1) : photos(p);
      for (const photo of probes) {
        const { lines, summary } = analyze(photo, watchlist);
        const faces = lines[0]!.faces;
        expect(faces).toHaveLength(1);
        const m = faces[0]!.match;
        record.push(`${p}/${path.basename(photo)} -> ${m ? `${m.name} ${m.similarity}` : 'no match'} (quality ${faces[0]!.quality})`);
        if (listed.includes(p)) {
          others++;
          if (m?.name === p) right++;
        }
        if (m) expect(m.name).toBe(p);
        expect(Object.keys(summary.faceMatches).every((n) => n === p)).toBe(true);
      }
    }
    console.log(`identities:\n  ${record.join('\n  ')}`);
    expect(others).toBe(9);
    expect(right / others).toBeGreaterThanOrEqual(0.9);
  }, 600_000); // one CLI run per photo (11 runs)
});

describe('analyze --faces: the corridor clip, each walker enrolled from one frame of it', () => {
  const video = fixtures.video('intel_face_demographics_walking_preview.mp4');
  /** The frame each walker is enrolled from: the man walks on the right half of the picture, the woman on the left. */
  const ENROLLED = { man: 31, woman: 34 } as const;
  let watchlist = '';
  beforeAll(() => {
    watchlist = tmp();
    frameCrop(video, ENROLLED.man, '240:270:240:0', path.join(watchlist, 'man.png'));
    frameCrop(video, ENROLLED.woman, '240:270:0:0', path.join(watchlist, 'woman.png'));
  });

  it('each is matched to the right name on at least 90 % of the other frames where the face passes the quality gate, never to the other', () => {
    const { lines, summary } = analyze(video, watchlist);
    expect(lines).toHaveLength(35);
    const record: string[] = [];
    const tally = { man: { gated: 0, right: 0, wrong: 0 }, woman: { gated: 0, right: 0, wrong: 0 } };
    for (const l of lines) {
      for (const f of l.faces) {
        // The man's face is always right of 0.58 of the width (x from 288 px of 480), the woman's always left of it.
        const who = f.box[0]! > 0.58 ? 'man' : 'woman';
        if (l.frame === ENROLLED[who]) continue;
        record.push(`frame ${l.frame} ${who} ${f.rejected ? `rejected: ${f.rejected}` : f.match ? `-> ${f.match.name} ${f.match.similarity}` : '-> no match'}`);
        if (f.rejected) {
          expect(f.match).toBeNull();
          continue;
        }
        tally[who].gated++;
        if (f.match?.name === who) tally[who].right++;
        else if (f.match) tally[who].wrong++;
      }
    }
    console.log(`corridor clip (man enrolled from frame ${ENROLLED.man}, woman from frame ${ENROLLED.woman}):\n  ${record.join('\n  ')}\n  ${JSON.stringify(tally)}`);
    for (const who of ['man', 'woman'] as const) {
      expect(tally[who].gated).toBeGreaterThanOrEqual(1);
      expect(tally[who].wrong).toBe(0);
      expect(tally[who].right / tally[who].gated).toBeGreaterThanOrEqual(0.9);
    }
    expect(Object.keys(summary.faceMatches).sort()).toEqual(['man', 'woman']);
  }, 600_000); // 35 frames, two face-model passes each

  it('with only the man listed, the woman (not on the list) is never matched', () => {
    const manOnly = tmp();
    fs.copyFileSync(path.join(watchlist, 'man.png'), path.join(manOnly, 'man.png'));
    const { lines } = analyze(video, manOnly);
    const woman = lines.flatMap((l) => l.faces.filter((f) => f.box[0]! <= 0.58).map((f) => ({ frame: l.frame, f })));
    console.log(`corridor clip, only the man listed; the woman's faces:\n  ${woman.map(({ frame, f }) => `frame ${frame} ${f.rejected ? 'rejected' : f.match ? `-> ${f.match.name} ${f.match.similarity}` : '-> no match'}`).join('\n  ')}`);
    expect(woman.filter(({ f }) => f.match)).toEqual([]);
  }, 600_000);

  it('the astronaut matches no one', () => {
    const { lines, summary } = analyze(fixtures.image('skimage_astronaut.png'), watchlist);
    expect(lines[0]!.faces).toHaveLength(1);
    expect(lines[0]!.faces[0]!.rejected).toBeUndefined();
    expect(lines[0]!.faces[0]!.match).toBeNull();
    expect(summary.faceMatches).toEqual({});
  });
});

describe('analyze --faces: bad input gets a clear message', () => {
  it('a photo with no face, two faces, or a corrupt file', () => {
    const none = tmp();
    fs.copyFileSync(fixtures.image('darknet_kite.jpg'), path.join(none, 'kites.jpg'));
    fs.copyFileSync(fixtures.image('skimage_camera.png'), path.join(none, 'camera.png'));
    // darknet_kite.jpg: many tiny people, no usable face; skimage_camera.png: a man seen from the side.
    expect(analyzeFails(fixtures.image('skimage_astronaut.png'), none)).toMatch(/camera\.png: (no face found in the photo|the face is not usable)/);
    const two = tmp();
    fs.copyFileSync(fixtures.image('intel_head_pose_two_faces.png'), path.join(two, 'pair.png'));
    expect(analyzeFails(fixtures.image('skimage_astronaut.png'), two)).toMatch(/pair\.png: the photo shows 2 faces; use a photo of this person alone/);
    const corrupt = tmp();
    fs.writeFileSync(path.join(corrupt, 'broken.jpg'), Buffer.from('not a jpeg at all'));
    expect(analyzeFails(fixtures.image('skimage_astronaut.png'), corrupt)).toMatch(/broken\.jpg is not a readable picture/);
  });

  it('a missing face model', () => {
    const empty = tmp();
    expect(analyzeFails(fixtures.image('skimage_astronaut.png'), null, { WATCHROOM_NATIVE_MODELS_DIR: empty })).toMatch(/faces: the face-detector model is not installed .*installing the app again restores it/);
  });
});
