import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/support/temp-dirs';
import { repoRoot } from '../../test/support/shared-fixtures';
import { nullLogger } from '../engine/logging/logger';
import { feedFolder, serveUpdateFolder, type UpdateFeedServer } from './update-feed';

const tmp = tempDirs('watchroom-update-feed-');
const servers: UpdateFeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const SIGN = path.join(repoRoot, 'scripts', 'sign-update-feed.mjs');
const YML = `version: 0.2.0
files:
  - url: Watchroom-Setup-0.2.0.exe
    sha512: AAAA
    size: 9
path: Watchroom-Setup-0.2.0.exe
sha512: AAAA
releaseDate: '2026-12-01T00:00:00.000Z'
`;

/** A key pair made with the script, and a feed folder as `npm run dist` leaves it, signed with the script. */
function signedFeed(): { feed: string; keys: string; publicKeyPem: string } {
  const keys = tmp();
  execFileSync(process.execPath, [SIGN, '--new-key', keys]);
  const feed = tmp();
  fs.writeFileSync(path.join(feed, 'latest.yml'), YML);
  fs.writeFileSync(path.join(feed, 'Watchroom-Setup-0.2.0.exe'), 'installer');
  fs.writeFileSync(path.join(feed, 'Watchroom-Setup-0.2.0.exe.blockmap'), 'map');
  fs.writeFileSync(path.join(feed, 'notes.txt'), 'not part of the feed');
  execFileSync(process.execPath, [SIGN, feed, '--key', path.join(keys, 'update-signing-private.pem')]);
  return { feed, keys, publicKeyPem: fs.readFileSync(path.join(keys, 'update-signing-public.pem'), 'utf8') };
}

async function serve(dir: string, publicKeyPem: string) {
  const s = await serveUpdateFolder({ dir, publicKeyPem, logger: nullLogger });
  servers.push(s);
  const get = async (name: string) => (await fetch(new URL(name, s.url))).status;
  return { s, get };
}

describe('offline update feed folder', () => {
  it('reads a folder from a path or a file:// URL, and leaves other URLs alone', () => {
    expect(feedFolder('/media/usb/watchroom-updates')).toBe('/media/usb/watchroom-updates');
    expect(feedFolder(pathToFileURL('/srv/updates').href)).toBe('/srv/updates');
    expect(feedFolder('https://updates.site.local/watchroom')).toBeNull();
    expect(feedFolder('http://127.0.0.1:8089/watchroom-updates')).toBeNull();
  });

  it('serves a signed yml and the files it names on 127.0.0.1, and nothing else', async () => {
    const { feed, publicKeyPem } = signedFeed();
    const { s, get } = await serve(feed, publicKeyPem);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(s.signed).toEqual(['latest.yml']);
    expect(await get('latest.yml')).toBe(200);
    expect(await get('Watchroom-Setup-0.2.0.exe')).toBe(200);
    expect(await get('Watchroom-Setup-0.2.0.exe.blockmap')).toBe(200);
    expect(await get('notes.txt')).toBe(404);
    expect(await get('latest.yml.sig')).toBe(404);
    expect(await get('..%2F..%2Fetc%2Fpasswd')).toBe(404);
  });

  it('refuses a yml changed after signing (also once served), an unsigned one, and one signed with another key', async () => {
    const { feed, publicKeyPem } = signedFeed();
    const { get } = await serve(feed, publicKeyPem);
    fs.writeFileSync(path.join(feed, 'latest.yml'), YML.replace('0.2.0.exe', '0.2.0-evil.exe'));
    expect(await get('latest.yml')).toBe(404);
    expect(await get('Watchroom-Setup-0.2.0.exe')).toBe(404);

    const unsigned = signedFeed();
    fs.rmSync(path.join(unsigned.feed, 'latest.yml.sig'));
    const a = await serve(unsigned.feed, unsigned.publicKeyPem);
    expect(a.s.signed).toEqual([]);
    expect(await a.get('latest.yml')).toBe(404);

    const other = signedFeed();
    const b = await serve(other.feed, publicKeyPem);
    expect(b.s.signed).toEqual([]);
    expect(await b.get('Watchroom-Setup-0.2.0.exe')).toBe(404);
  });
});
