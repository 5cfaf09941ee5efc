import { describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../engine/logging/logger';
import { startUpdater, type AutoUpdaterLike } from './updater';

function fakeUpdater(check: () => Promise<unknown> | null): AutoUpdaterLike & { feed: unknown; handlers: Record<string, (a: unknown) => void> } {
  const u = {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    feed: null as unknown,
    handlers: {} as Record<string, (a: unknown) => void>,
    setFeedURL(o: unknown) {
      u.feed = o;
    },
    checkForUpdates: check,
    on(e: string, l: (a: unknown) => void) {
      u.handlers[e] = l;
      return u;
    },
  };
  return u;
}

describe('updater', () => {
  it('never downloads by itself and survives being offline', async () => {
    const u = fakeUpdater(() => Promise.reject(new Error('getaddrinfo ENOTFOUND')));
    const d = startUpdater({ loadAutoUpdater: () => u, logger: nullLogger, isPackaged: true, feedUrl: 'file:///srv/updates' });
    expect(u.autoDownload).toBe(false);
    expect(u.autoInstallOnAppQuit).toBe(false);
    expect(u.feed).toEqual({ provider: 'generic', url: 'file:///srv/updates' });
    await new Promise((r) => setImmediate(r));
    u.handlers.error?.(new Error('offline'));
    d.dispose();
  });

  it('does nothing in development or without a feed, and tolerates a broken module', () => {
    const load = vi.fn(() => fakeUpdater(() => null));
    startUpdater({ loadAutoUpdater: load, logger: nullLogger, isPackaged: false, feedUrl: 'file:///x' }).dispose();
    startUpdater({ loadAutoUpdater: load, logger: nullLogger, isPackaged: true }).dispose();
    expect(load).not.toHaveBeenCalled();
    const broken = startUpdater({ loadAutoUpdater: () => { throw new Error('missing'); }, logger: nullLogger, isPackaged: true, feedUrl: 'file:///x' });
    broken.dispose();
    const throwing = startUpdater({ loadAutoUpdater: () => fakeUpdater(() => { throw new Error('sync'); }), logger: nullLogger, isPackaged: true, feedUrl: 'file:///x' });
    throwing.dispose();
  });
});
