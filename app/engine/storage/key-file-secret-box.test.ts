import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../logging/logger';
import { CameraRepository } from './camera.repository';
import { openDatabase } from './database';
import { keyFileSecretBox, SECRET_KEY_FILE } from './key-file-secret-box';
import { plaintextSecretBox } from './secret-box';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-box-'));
  dirs.push(d);
  return d;
};

describe('key file secret box', () => {
  it('seals with AES-256-GCM under a 0600 key file, refuses tampered values and tightens a loose key file', () => {
    const dir = tmp();
    const box = keyFileSecretBox(dir);
    const a = box.seal('rtsp://u:pw@h/s');
    expect(a).toMatch(/^aesgcm1:/);
    expect(box.seal('rtsp://u:pw@h/s')).not.toBe(a); // fresh IV per value
    expect(box.open(a)).toBe('rtsp://u:pw@h/s');
    expect(keyFileSecretBox(dir).open(a)).toBe('rtsp://u:pw@h/s'); // same key file, same key
    const flipped = a.slice(0, -2) + (a.endsWith('A') ? 'B' : 'A') + a.slice(-1);
    expect(() => box.open(flipped)).toThrow();
    expect(() => keyFileSecretBox(tmp()).open(a)).toThrow(); // another data dir's key
    const key = path.join(dir, SECRET_KEY_FILE);
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
    fs.chmodSync(key, 0o644);
    keyFileSecretBox(dir);
    expect(fs.statSync(key).mode & 0o777).toBe(0o600);
  });

  it('re-seals camera sources stored in plaintext by older versions', () => {
    const dir = tmp();
    const db = openDatabase({ dataDir: dir, logger: nullLogger });
    try {
      new CameraRepository(db, plaintextSecretBox).insert({ name: 'Old', source: 'rtsp://u:legacy-pw@h/s', rtspTransport: 'tcp', analysisFps: 5, enabled: false, modelId: null });
      const repo = new CameraRepository(db, keyFileSecretBox(dir));
      expect(repo.list()[0]!.source).toBe('rtsp://u:legacy-pw@h/s');
      expect(repo.resealAll()).toBe(1);
      expect(repo.resealAll()).toBe(0);
      const raw = db.prepare('SELECT source FROM cameras').get() as { source: string };
      expect(raw.source).toMatch(/^aesgcm1:/);
      expect(repo.list()[0]!.source).toBe('rtsp://u:legacy-pw@h/s');
    } finally {
      db.close();
    }
  });
});
