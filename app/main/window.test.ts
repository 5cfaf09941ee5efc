import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../engine/logging/logger';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, registerSchemePrivileges } from './app-protocol';
import { FakeBrowserWindow, FakeSession, FakeWebContents } from './__fakes__/electron';
import { hardenSession, hardenWebContents, isAppUrl } from './security';
import { createMainWindow, RENDERER_ENTRY, type BrowserWindowCtor } from './window';

describe('main window', () => {
  const win = createMainWindow({ BrowserWindow: FakeBrowserWindow as unknown as BrowserWindowCtor, preloadPath: '/app/dist/preload/preload.cjs', logger: nullLogger }) as unknown as FakeBrowserWindow;

  it('is isolated, sandboxed and without Node', () => {
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(win.loadedUrl).toBe(RENDERER_ENTRY);
  });

  it('cannot navigate away, open windows or attach webviews', () => {
    const wc = win.webContents;
    expect(wc.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.fire('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(wc.fire('will-navigate', 'app://watchroom/index.html#/cameras')).toBe(false);
    expect(wc.fire('will-attach-webview', {}, {})).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler?.({ url: 'app://watchroom/index.html' })).toEqual({ action: 'deny' });
  });
});

describe('hardenWebContents', () => {
  it('is applied once per window: the app-wide hook and the window\'s own call add one set of guards', () => {
    const wc = new FakeWebContents();
    const opened: string[] = [];
    // Electron's web-contents-created hook hardens it first; createMainWindow then passes its window.open hook.
    hardenWebContents(wc as never, nullLogger);
    hardenWebContents(wc as never, nullLogger, (url) => (opened.push(url), true));
    for (const e of ['will-navigate', 'will-redirect', 'will-attach-webview']) expect([e, wc.listenerCount(e)]).toEqual([e, 1]);
    expect(wc.fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'app://watchroom/index.html#/monitor' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['app://watchroom/index.html#/monitor']);
  });
});

describe('session', () => {
  const s = new FakeSession();
  hardenSession(s as never, nullLogger);
  const ask = (permission: string, url: string) =>
    new Promise<boolean>((resolve) => s.permissionRequest!(new FakeWebContents(), permission, resolve, { requestingUrl: url }));

  it('denies permissions by default and allows notifications to app:// only', async () => {
    expect(await ask('notifications', 'app://watchroom/index.html')).toBe(true);
    expect(await ask('notifications', 'https://evil.example/')).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'serial']) expect(await ask(p, 'app://watchroom/')).toBe(false);
    expect(s.permissionCheck!(null, 'notifications', 'app://watchroom')).toBe(true);
    expect(s.permissionCheck!(null, 'media', 'app://watchroom')).toBe(false);
  });

  it('adds the strict CSP to responses', () => {
    let headers: Record<string, string[]> | undefined;
    s.headersHook!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers?.['Content-Security-Policy']?.[0]).toMatch(/default-src 'self'.*object-src 'none'/);
  });

  it('recognises only our origin', () => {
    expect(isAppUrl('app://watchroom/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('app://u:p@watchroom/')).toBe(false);
    expect(isAppUrl('http://watchroom/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('app:// protocol', () => {
  it('is registered standard and secure, with fetch', () => {
    let got: unknown;
    registerSchemePrivileges({ registerSchemesAsPrivileged: (s) => (got = s) });
    expect(got).toEqual([APP_SCHEME_PRIVILEGES]);
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, bypassCSP: false });
  });

  it('serves the renderer folder only', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-proto-'));
    const dir = path.join(parent, 'renderer');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'index.html'), '<title>w</title>');
    fs.writeFileSync(path.join(parent, 'wr-proto-secret.txt'), 'secret');
    const handle = createAppProtocolHandler(dir);
    const ok = await handle(new Request('app://watchroom/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/html');
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handle(new Request('app://watchroom/%2e%2e/wr-proto-secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://watchroom/..%2fwr-proto-secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
    fs.rmSync(parent, { recursive: true, force: true });
  });
});
