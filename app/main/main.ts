// Electron main entry (dist/main/main.cjs). All logic lives in electron-app.ts, which takes electron's
// objects as parameters so it can be tested with fakes.
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, protocol, safeStorage, screen, session, shell, utilityProcess } from 'electron';
import type { AutoUpdaterLike } from './updater';
import { runElectronApp } from './electron-app';

runElectronApp({
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  session,
  utilityProcess,
  MessageChannelMain,
  // Lazy: electron's screen module may only be used once the app is ready.
  screen: { getAllDisplays: () => screen.getAllDisplays(), getDisplayMatching: (r) => screen.getDisplayMatching(r) },
  safeStorage,
  dialog,
  shell,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadAutoUpdater: () => (require('electron-updater') as { autoUpdater: AutoUpdaterLike }).autoUpdater,
});
