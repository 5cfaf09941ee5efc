import crypto from 'node:crypto';

/**
 * Password hashing with Node's scrypt (OpenSSL's implementation; memory-hard). Each hash records its own
 * parameters and a 16-byte random salt: `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`.
 */
export interface ScryptParams {
  /** CPU/memory cost (power of two). 2^15 with r=8 uses 32 MiB per hash. */
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LEN = 32;

const scrypt = (password: string, salt: Buffer, prm: ScryptParams): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    crypto.scrypt(password.normalize('NFC'), salt, KEY_LEN, { N: prm.N, r: prm.r, p: prm.p, maxmem: 256 * prm.N * prm.r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );

export async function hashPassword(password: string, prm: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, prm);
  return `scrypt$${prm.N}$${prm.r}$${prm.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Constant-time check of a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((x) => Number.isSafeInteger(x) && x > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_LEN) return false;
  const key = await scrypt(password, salt, { N, r, p });
  return crypto.timingSafeEqual(key, expected);
}

/** A hash no password matches (for timing-equal refusals of unknown names). */
export const DUMMY_HASH = `scrypt$${DEFAULT_SCRYPT.N}$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LEN, 1).toString('base64')}`;
