import { describe, expect, it } from 'vitest';
import { nullLogger } from '../engine/logging/logger';
import type { PushListener } from '../engine/services/push-bus';
import { FakeBrowserWindow } from './__fakes__/electron';
import { bringToFrontOnAlarm, chooseMonitorDisplay, isMonitorRequest, MONITOR_URL, openAlarmMonitorWindow, type AttentionWindow } from './alarm-monitor';
import type { BrowserWindowCtor } from './window';

const d = (id: number, x: number) => ({ id, workArea: { x, y: 0, width: 1920, height: 1080 } });

describe('alarm monitor (Electron, with fakes)', () => {
  it('chooses the other display, or the chosen one, or the only one', () => {
    const screen = { getAllDisplays: () => [d(1, 0), d(2, 1920)], getDisplayMatching: (r: { x: number }) => (r.x >= 1920 ? d(2, 1920) : d(1, 0)) };
    expect(chooseMonitorDisplay(screen, { x: 10, y: 10, width: 800, height: 600 }).id).toBe(2);
    expect(chooseMonitorDisplay(screen, { x: 2000, y: 10, width: 800, height: 600 }).id).toBe(1);
    expect(chooseMonitorDisplay(screen, null, 1).id).toBe(1);
    const one = { getAllDisplays: () => [d(1, 0)], getDisplayMatching: () => d(1, 0) };
    expect(chooseMonitorDisplay(one, { x: 0, y: 0, width: 10, height: 10 }).id).toBe(1);
  });

  it('opens a hardened window on that display showing #/monitor; only the app URL counts as a request', async () => {
    FakeBrowserWindow.instances = [];
    const win = openAlarmMonitorWindow({ BrowserWindow: FakeBrowserWindow as unknown as BrowserWindowCtor, preloadPath: '/p.cjs', logger: nullLogger, display: d(2, 1920) });
    const fake = FakeBrowserWindow.instances[0]!;
    expect(win).toBe(fake as unknown);
    expect(fake.options).toMatchObject({ x: 1920, width: 1920, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } });
    await Promise.resolve();
    expect(fake.loadedUrl).toBe(MONITOR_URL);
    expect(isMonitorRequest(MONITOR_URL)).toBe(true);
    expect(isMonitorRequest('https://evil.example/#/monitor')).toBe(false);
  });

  it('brings the windows to the front when an alarm opens or escalates, not for other steps', () => {
    let listener: PushListener = () => undefined;
    const calls: string[] = [];
    const w: AttentionWindow = { isMinimized: () => true, restore: () => calls.push('restore'), show: () => calls.push('show'), focus: () => calls.push('focus'), flashFrame: () => calls.push('flash') };
    const sub = bringToFrontOnAlarm((l) => ((listener = l), { dispose: () => undefined }), () => [w]);
    listener('alarms:changed', { action: 'acknowledge' });
    listener('cameras:changed', []);
    expect(calls).toEqual([]);
    listener('alarms:changed', { action: 'open' });
    expect(calls).toEqual(['restore', 'show', 'focus', 'flash']);
    listener('alarms:changed', { action: 'escalate' });
    expect(calls).toHaveLength(8);
    sub.dispose();
  });
});
