import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../engine/logging/logger';
import { keyFileSecretBox } from '../engine/storage/key-file-secret-box';
import { plaintextSecretBox } from '../engine/storage/secret-box';
import { FakeSafeStorage } from './__fakes__/electron';
import { safeStorageSecretBox } from './safe-storage-box';

describe('safeStorage secret box', () => {
  it('seals with the OS keyring and still opens legacy plaintext', () => {
    const ss = new FakeSafeStorage();
    const box = safeStorageSecretBox(ss, () => plaintextSecretBox, nullLogger);
    const sealed = box.seal('rtsp://u:pw@h/s');
    expect(sealed).toMatch(/^safestorage1:/);
    expect(sealed).not.toContain('pw@');
    expect(box.open(sealed)).toBe('rtsp://u:pw@h/s');
    expect(box.open('plain:rtsp://u:old@h/s')).toBe('rtsp://u:old@h/s');
    expect(box.isSealed!(sealed)).toBe(true);
    expect(box.isSealed!('plain:x')).toBe(false);
  });

  it('uses the key file where the keyring is missing or only basic_text', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-ss-'));
    try {
      for (const setup of [(s: FakeSafeStorage) => (s.available = false), (s: FakeSafeStorage) => (s.backend = 'basic_text')]) {
        const ss = new FakeSafeStorage();
        setup(ss);
        const box = safeStorageSecretBox(ss, () => keyFileSecretBox(dir), nullLogger);
        const sealed = box.seal('secret-pw');
        expect(sealed).toMatch(/^aesgcm1:/);
        expect(box.open(sealed)).toBe('secret-pw');
      }
      expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
