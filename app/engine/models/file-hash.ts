import crypto from 'node:crypto';
import fs from 'node:fs';

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    const s = fs.createReadStream(file);
    s.on('data', (c) => hash.update(c));
    s.on('end', () => resolve());
    s.on('error', reject);
  });
  return hash.digest('hex');
}

/** Memoises per-file facts (hash, I/O check) by path + mtime + size, so a listing does not re-hash every time. */
export class FileFactCache<T> {
  private readonly map = new Map<string, { mtimeMs: number; size: number; value: T }>();

  async get(file: string, compute: () => Promise<T>): Promise<T> {
    const st = fs.statSync(file);
    const hit = this.map.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.value;
    const value = await compute();
    this.map.set(file, { mtimeMs: st.mtimeMs, size: st.size, value });
    return value;
  }
}
