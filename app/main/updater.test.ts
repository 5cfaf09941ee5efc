import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDirs } from '../../test/support/temp-dirs';
import { repoRoot } from '../../test/support/shared-fixtures';
import { nullLogger } from '../engine/logging/logger';
import { startUpdater, type AutoUpdaterLike } from './updater';

const tmp = tempDirs('watchroom-updater-');

function fakeUpdater(check: () => Promise<unknown> | null): AutoUpdaterLike & { feed: { url?: string } | null; handlers: Record<string, (a: unknown) => void>; downloads: number } {
  const u = {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    feed: null as { url?: string } | null,
    downloads: 0,
    handlers: {} as Record<string, (a: unknown) => void>,
    setFeedURL(o: { url?: string }) {
      u.feed = o;
    },
    checkForUpdates: check,
    downloadUpdate() {
      u.downloads++;
      return Promise.resolve([]);
    },
    on(e: string, l: (a: unknown) => void) {
      u.handlers[e] = l;
      return u;
    },
  };
  return u;
}

describe('updater', () => {
  it('checks an https feed without downloading by itself, and survives being offline', async () => {
    const u = fakeUpdater(() => Promise.reject(new Error('getaddrinfo ENOTFOUND')));
    const d = startUpdater({ loadAutoUpdater: () => u, logger: nullLogger, isPackaged: true, feedUrl: 'https://updates.site.local/watchroom' });
    expect(u.autoDownload).toBe(false);
    expect(u.autoInstallOnAppQuit).toBe(false);
    expect(u.feed).toEqual({ provider: 'generic', url: 'https://updates.site.local/watchroom' });
    await new Promise((r) => setImmediate(r));
    u.handlers.error?.(new Error('offline'));
    u.handlers['update-available']?.({ version: '0.2.0' });
    expect(u.downloads).toBe(0);
    d.dispose();
  });

  it('does nothing in development, without a feed, on plain http, or for a folder when the build has no signing key', () => {
    const load = vi.fn(() => fakeUpdater(() => null));
    startUpdater({ loadAutoUpdater: load, logger: nullLogger, isPackaged: false, feedUrl: '/srv/updates' }).dispose();
    startUpdater({ loadAutoUpdater: load, logger: nullLogger, isPackaged: true }).dispose();
    startUpdater({ loadAutoUpdater: load, logger: nullLogger, isPackaged: true, feedUrl: 'http://127.0.0.1:8089/watchroom-updates' }).dispose();
    startUpdater({ loadAutoUpdater: load, logger: nullLogger, isPackaged: true, feedUrl: 'file:///srv/updates', publicKeyPem: () => null }).dispose();
    expect(load).not.toHaveBeenCalled();
    const broken = startUpdater({ loadAutoUpdater: () => { throw new Error('missing'); }, logger: nullLogger, isPackaged: true, feedUrl: 'https://x.local/' });
    broken.dispose();
    const throwing = startUpdater({ loadAutoUpdater: () => fakeUpdater(() => { throw new Error('sync'); }), logger: nullLogger, isPackaged: true, feedUrl: 'https://x.local/' });
    throwing.dispose();
  });

  it('serves a signed feed folder itself, downloads what it offers and installs it at the next quit', async () => {
    const keys = tmp();
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/sign-update-feed.mjs'), '--new-key', keys]);
    const feed = tmp();
    fs.writeFileSync(path.join(feed, 'latest.yml'), 'version: 0.2.0\npath: Watchroom-Setup-0.2.0.exe\nsha512: AAAA\n');
    fs.writeFileSync(path.join(feed, 'Watchroom-Setup-0.2.0.exe'), 'installer');
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/sign-update-feed.mjs'), feed, '--key', path.join(keys, 'update-signing-private.pem')]);
    const u = fakeUpdater(() => Promise.resolve(null));
    const d = startUpdater({ loadAutoUpdater: () => u, logger: nullLogger, isPackaged: true, feedUrl: feed, publicKeyPem: () => fs.readFileSync(path.join(keys, 'update-signing-public.pem'), 'utf8') });
    await vi.waitFor(() => expect(u.feed?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/));
    expect((await fetch(new URL('latest.yml', u.feed!.url!))).status).toBe(200);
    u.handlers['update-available']?.({ version: '0.2.0' });
    expect(u.downloads).toBe(1);
    expect(u.autoInstallOnAppQuit).toBe(false);
    u.handlers['update-downloaded']?.({ version: '0.2.0' });
    expect(u.autoInstallOnAppQuit).toBe(true);
    d.dispose();
  });
});
