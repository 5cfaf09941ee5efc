// Sandboxed preload (dist/preload/preload.cjs): exposes WatchroomApi as window.watchroom. Sandboxed preloads
// can only require 'electron', so everything else is bundled in (see scripts/build-node.mjs). ipcRenderer
// itself is never exposed.
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '../shared/api';
import { createPreloadApi, createPreloadBridge, installMainWorldApi } from './preload-api';

if (typeof contextBridge.executeInMainWorld === 'function') {
  // The API object is built in the page's own world so rejected calls keep their `code` (see preload-api.ts).
  contextBridge.executeInMainWorld({ func: installMainWorldApi, args: [API_GLOBAL, createPreloadBridge(ipcRenderer)] });
} else {
  contextBridge.exposeInMainWorld(API_GLOBAL, createPreloadApi(ipcRenderer));
}
