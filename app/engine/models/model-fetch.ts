import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { ModelManifest } from '../../shared/domain/model';

export interface FetchProgress {
  received: number;
  /** null when the server sent no length. */
  total: number | null;
}

export interface FetchOptions {
  manifest: ModelManifest;
  modelsDir: string;
  /** Expected SHA-256 when the manifest pins none (required then); must agree with a pinned one. */
  sha256?: string;
  onProgress?: (p: FetchProgress) => void;
  /** Connect/idle timeout, ms (default 30 s). */
  timeoutMs?: number;
}

/**
 * Downloads a manifest's model into the models dir (following up to 5 redirects), hashing while it streams.
 * A wrong SHA-256 deletes the download and throws; nothing partial is left behind. When the SHA-256 came from
 * `--sha256`, a pinned copy of the manifest is written beside the file.
 */
export async function fetchModel(opts: FetchOptions): Promise<{ filePath: string; sha256: string; manifestPath?: string }> {
  const m = opts.manifest;
  if (!m.url) throw new Error(`model "${m.id}" has no download URL; import the file instead`);
  const given = opts.sha256?.toLowerCase();
  if (given && !/^[0-9a-f]{64}$/.test(given)) throw new Error('--sha256 must be 64 hex characters');
  if (given && m.sha256 && given !== m.sha256) throw new Error(`--sha256 ${given} disagrees with the manifest's pinned ${m.sha256}`);
  const expected = m.sha256 ?? given;
  if (!expected) throw new Error(`model "${m.id}" pins no SHA-256 (upstream publishes none); run again with --sha256 <hex> from a source you trust`);
  fs.mkdirSync(opts.modelsDir, { recursive: true });
  const filePath = path.join(opts.modelsDir, m.file);
  const sha = await fetchVerified(m.url, filePath, expected, opts, m.id);
  let manifestPath: string | undefined;
  if (!m.sha256) {
    manifestPath = path.join(opts.modelsDir, `${m.id}.json`);
    fs.writeFileSync(manifestPath, `${JSON.stringify({ ...m, sha256: sha }, null, 2)}\n`);
  }
  return { filePath, sha256: sha, manifestPath };
}

/**
 * Downloads `url` to `filePath` (through `<filePath>.part`), hashing while it streams; the file appears only
 * when its SHA-256 is `expected`. On any failure, a wrong hash included, nothing is left behind.
 */
export async function fetchVerified(url: string, filePath: string, expected: string, opts: Pick<FetchOptions, 'onProgress' | 'timeoutMs'>, what = path.basename(filePath)): Promise<string> {
  const part = `${filePath}.part`;
  let sha: string;
  try {
    sha = await download(url, part, opts, 5);
  } catch (e) {
    fs.rmSync(part, { force: true });
    throw new Error(`download of ${what} from ${url} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (sha !== expected) {
    fs.rmSync(part, { force: true });
    throw new Error(`SHA-256 mismatch for ${what}: expected ${expected}, downloaded ${sha}; the file was deleted`);
  }
  fs.renameSync(part, filePath);
  return sha;
}

function download(url: string, dest: string, opts: Pick<FetchOptions, 'onProgress' | 'timeoutMs'>, redirects: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const get = u.protocol === 'https:' ? https.get : u.protocol === 'http:' ? http.get : null;
    if (!get) return reject(new Error(`unsupported URL scheme ${u.protocol}`));
    const req = get(u, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects <= 0) return reject(new Error('too many redirects'));
        return resolve(download(new URL(res.headers.location, u).toString(), dest, opts, redirects - 1));
      }
      if (status !== 200) {
        res.resume();
        return reject(new Error(`HTTP ${status}`));
      }
      const total = Number(res.headers['content-length']) || null;
      const hash = crypto.createHash('sha256');
      const out = fs.createWriteStream(dest);
      let received = 0;
      res.on('data', (c: Buffer) => {
        hash.update(c);
        received += c.length;
        opts.onProgress?.({ received, total });
      });
      res.on('error', reject);
      out.on('error', reject);
      res.pipe(out);
      out.on('finish', () => {
        if (total !== null && received !== total) reject(new Error(`connection closed after ${received} of ${total} bytes`));
        else resolve(hash.digest('hex'));
      });
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error('timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' ? `cannot reach ${u.host} (no network?)` : e.message)));
  });
}
