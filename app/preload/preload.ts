// Sandboxed preload (dist/preload/preload.cjs): exposes WatchroomApi as window.watchroom. Sandboxed preloads
// can only require 'electron', so everything else is bundled in (see scripts/build-node.mjs). ipcRenderer
// itself is never exposed.
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL } from '../shared/api';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld(API_GLOBAL, createPreloadApi(ipcRenderer));
