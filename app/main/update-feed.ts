import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../engine/logging/logger';

/**
 * An offline update feed: a folder (USB stick, site share) holding what `npm run dist` wrote to release/
 * (latest.yml or latest-linux.yml / latest-mac.yml, the installer, its .blockmap) plus `latest*.yml.sig`,
 * an Ed25519 signature of each yml made with the vendor's private key (scripts/sign-update-feed.mjs).
 * electron-updater's generic provider only speaks HTTP(S), so the app serves the folder itself on 127.0.0.1,
 * and serves a yml only when its signature verifies against the public key shipped in the app; the yml carries
 * the installer's SHA-512, which electron-updater checks before installing, so nothing unsigned is installed.
 */

const YML = /^latest(-[a-z0-9]+)?\.yml$/i;
/** Plain file names only: no folders, no '..'. */
const SAFE_NAME = /^[\w][\w .+-]*$/;

/** The folder a feed setting names (a path or a file:// URL), or null when it is a URL of another scheme. */
export function feedFolder(feed: string): string | null {
  if (/^file:\/\//i.test(feed)) return fileURLToPath(feed);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(feed)) return null;
  return path.resolve(feed);
}

/** True when `<dir>/<yml>.sig` (base64 or raw bytes) is a valid Ed25519 signature of `<dir>/<yml>` by this key. */
export function feedFileSigned(dir: string, yml: string, publicKeyPem: string): boolean {
  try {
    const body = fs.readFileSync(path.join(dir, yml));
    const raw = fs.readFileSync(path.join(dir, `${yml}.sig`));
    const text = raw.toString('ascii').trim();
    const sig = /^[A-Za-z0-9+/=]+$/.test(text) ? Buffer.from(text, 'base64') : raw;
    return crypto.verify(null, body, crypto.createPublicKey(publicKeyPem), sig);
  } catch {
    return false;
  }
}

/** The files a verified yml names (`url:` / `path:` entries) and their .blockmap files. */
function filesNamedBy(dir: string, yml: string): string[] {
  const names: string[] = [];
  for (const m of fs.readFileSync(path.join(dir, yml), 'utf8').matchAll(/^\s*-?\s*(?:url|path):\s*['"]?([^'"\r\n]+?)['"]?\s*$/gm)) {
    const name = decodeURIComponent(m[1]!);
    names.push(name, `${name}.blockmap`);
  }
  return names;
}

export interface UpdateFeedServer {
  /** http://127.0.0.1:<port>/ for electron-updater's generic provider. */
  url: string;
  /** The yml files whose signature verified when the server started. */
  signed: string[];
  close(): Promise<void>;
}

/**
 * Serves a feed folder read-only on 127.0.0.1: signed ymls and the files they name, nothing else. Signatures
 * are checked again on every request for a yml, so a file swapped on the share after start is refused too.
 */
export async function serveUpdateFolder(o: { dir: string; publicKeyPem: string; logger: Logger }): Promise<UpdateFeedServer> {
  const log = o.logger.child({ component: 'update-feed' });
  const ymls = fs.existsSync(o.dir) ? fs.readdirSync(o.dir).filter((f) => YML.test(f)) : [];
  const signed = ymls.filter((y) => feedFileSigned(o.dir, y, o.publicKeyPem));
  for (const y of ymls.filter((f) => !signed.includes(f))) log.warn('update feed file refused: missing or wrong signature', { file: y });
  const allowed = () => {
    const set = new Set<string>();
    for (const y of signed) {
      if (!feedFileSigned(o.dir, y, o.publicKeyPem)) continue;
      set.add(y);
      for (const f of filesNamedBy(o.dir, y)) set.add(f);
    }
    return set;
  };
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').split('?')[0]!.replace(/^\/+/, ''));
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !SAFE_NAME.test(name) || !allowed().has(name)) {
      res.writeHead(404).end();
      return;
    }
    const file = path.join(o.dir, name);
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-length': st.size, 'content-type': YML.test(name) ? 'text/yaml' : 'application/octet-stream' });
      if (req.method === 'HEAD') return void res.end();
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  log.info('serving the update folder', { dir: o.dir, port, signed });
  return {
    url: `http://127.0.0.1:${port}/`,
    signed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
