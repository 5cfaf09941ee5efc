import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openLegacy, type SecretBox } from './secret-box';
import { ensurePrivateDir } from './private-files';

/** Name of the key file in the data directory (headless host). */
export const SECRET_KEY_FILE = 'secret.key';
const PREFIX = 'aesgcm1:';

/**
 * Reads `<dataDir>/secret.key` (32 random bytes), creating it with mode 0600 on first use; a key file that group
 * or others can read is tightened to 0600 (POSIX).
 */
export function loadOrCreateKey(dataDir: string): Buffer {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, crypto.randomBytes(32));
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const key = fs.readFileSync(file);
  if (key.length !== 32) throw new Error(`${file} is not a Watchroom key (expected 32 bytes). Restore it from a backup, or move it away to start without the saved camera passwords.`);
  return key;
}

/** AES-256-GCM with a random 96-bit IV per value: `aesgcm1:<iv>.<tag>.<ciphertext>` (base64url). */
export function aesGcmSecretBox(key: Buffer): SecretBox {
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `${PREFIX}${iv.toString('base64url')}.${c.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return openLegacy(stored);
      const [iv, tag, ct] = stored.slice(PREFIX.length).split('.');
      const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv ?? '', 'base64url'));
      d.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      return Buffer.concat([d.update(Buffer.from(ct ?? '', 'base64url')), d.final()]).toString('utf8');
    },
    isSealed: (stored) => stored.startsWith(PREFIX),
  };
}

/** The headless host's (and tests') box: a key file in the data directory. */
export const keyFileSecretBox = (dataDir: string): SecretBox => aesGcmSecretBox(loadOrCreateKey(dataDir));

/**
 * Reads `<dataDir>/secret.key` without creating it (read-only checks such as `npm run audit -- verify`); null when
 * it is absent or not a 32-byte key.
 */
export function readExistingKey(dataDir: string): Buffer | null {
  try {
    const key = fs.readFileSync(path.join(dataDir, SECRET_KEY_FILE));
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}
