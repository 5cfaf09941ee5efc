import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HostApi } from '../api/select-api';
import { createAppActions } from './app/app.actions';
import { createAuthActions, memorySessionKeeper, type SessionKeeper } from './auth/auth.actions';
import { initialAuthState } from './auth/auth.state';
import { guardApi } from './auth/guarded-api';
import { initialAppState } from './app/app.state';
import { createCamerasActions } from './cameras/cameras.actions';
import { stateChanged, listReceived } from './cameras/cameras.reducers';
import { initialCamerasState } from './cameras/cameras.state';
import { createHealthActions, HEALTH_POLL_MS } from './health/health.actions';
import { reportReceived } from './health/health.reducers';
import { initialHealthState } from './health/health.state';
import type { RootState } from './root-state';
import type { StoreDeps } from './store-deps';
import { createRulesActions } from './rules/rules.actions';
import { camerasPruned, countersReceived, rulesReceived } from './rules/rules.reducers';
import { initialRulesState } from './rules/rules.state';
import { createUiActions } from './ui/ui.actions';
import { initialUiState, type Page } from './ui/ui.state';
import { createPrivacyActions } from './privacy/privacy.actions';
import { masksReceived, privacyCamerasPruned, retentionRan } from './privacy/privacy.reducers';
import { initialPrivacyState } from './privacy/privacy.state';
import { createReportsActions } from './reports/reports.actions';
import { progressReceived } from './reports/reports.reducers';
import { initialReportsState } from './reports/reports.state';
import { createAlarmsActions } from './alarms/alarms.actions';
import { changeReceived } from './alarms/alarms.reducers';
import { initialAlarmsState } from './alarms/alarms.state';
import { createLayoutsActions } from './layouts/layouts.actions';
import { initialLayoutsState } from './layouts/layouts.state';
import { createEventsActions } from './events-review/events.actions';
import { createExportActions } from './export/export.actions';
import { initialExportState } from './export/export.state';
import { createIntegrationsActions } from './integrations/integrations.actions';
import { initialIntegrationsState } from './integrations/integrations.state';
import { createPlaybackActions } from './playback/playback.actions';
import { initialPlaybackState } from './playback/playback.state';
import { createSiteActions } from './site/site.actions';
import { createDownloadsActions } from './downloads/downloads.actions';
import { initialSiteState } from './site/site.state';
import { createRecordingsActions } from './recordings/recordings.actions';
import { createWatchlistActions } from './watchlist/watchlist.actions';

export type RendererStore = StoreApi<RootState>;

/** Creates the renderer store bound to one API. High-rate frames never pass through it. */
export function createRendererStore(rawApi: HostApi, opts: { initialPage?: Page; now?: () => number; sessionKeeper?: SessionKeeper; deviceKeeper?: SessionKeeper } = {}): RendererStore {
  return createStore<RootState>()((set, get) => {
    // Every slice talks through the guarded API: sign-in, lock and confirmations are answered in one place.
    const deps: StoreDeps = { api: rawApi, set, get, now: opts.now ?? Date.now };
    const auth = createAuthActions(deps, rawApi, opts.sessionKeeper ?? memorySessionKeeper(), opts.deviceKeeper ?? memorySessionKeeper());
    const api = guardApi(rawApi, auth.hooks);
    deps.api = api;
    const cameras = createCamerasActions(deps);
    const health = createHealthActions(deps);
    const app = createAppActions(deps);
    const ui = createUiActions(deps);
    const rules = createRulesActions(deps);
    const privacy = createPrivacyActions(deps);
    const reports = createReportsActions(deps);
    const alarms = createAlarmsActions(deps);
    const layouts = createLayoutsActions(deps);
    const eventsReview = createEventsActions(deps);
    const exporter = createExportActions(deps);
    const integrations = createIntegrationsActions(deps);
    const playback = createPlaybackActions(deps);
    const site = createSiteActions(deps);
    const downloads = createDownloadsActions(deps);
    const recordings = createRecordingsActions(deps);
    const watchlist = createWatchlistActions(deps);
    const loadAll = () => {
      void cameras.loadCameras();
      void health.loadHealth();
      void app.loadAppInfo();
      void app.loadDetection();
      void app.loadModels();
      void alarms.loadAlarms();
      void layouts.loadLayouts();
      // Rules held from before a reconnect may have changed meanwhile.
      for (const id of Object.keys(get().rules.byCamera)) void rules.loadRules(id);
      for (const id of Object.keys(get().privacy.masks)) void privacy.loadMasks(id);
      if (get().privacy.retention) void privacy.loadRetention();
    };
    const start = () => {
      const offs = [
        // Before the cameras listener: test fakes that keep one listener per event keep theirs.
        api.on('cameras:changed', (list) => set((s) => ({ privacy: privacyCamerasPruned(s.privacy, list.map((c) => c.id)) }))),
        api.on('cameras:changed', (list) => set((s) => ({ cameras: listReceived(s.cameras, list), rules: camerasPruned(s.rules, list.map((c) => c.id)) }))),
        api.on('rules:changed', ({ cameraId, rules: list }) => set((s) => ({ rules: rulesReceived(s.rules, cameraId, list, s.rules.byCamera[cameraId]?.updatedAt ?? null) }))),
        api.on('rules:counters', (c) => set((s) => ({ rules: countersReceived(s.rules, c) }))),
        api.on('masks:changed', (m) => set((s) => ({ privacy: masksReceived(s.privacy, m) }))),
        api.on('retention:ran', (report) => set((s) => ({ privacy: retentionRan(s.privacy, report) }))),
        api.on('reports:progress', (p) => set((s) => ({ reports: progressReceived(s.reports, p) }))),
        api.on('alarms:changed', ({ action, alarm, entry }) => set((s) => ({ alarms: changeReceived(s.alarms, action, alarm, entry) }))),
        api.on('alarms:arming', (arming) => set((s) => ({ alarms: { ...s.alarms, arming } }))),
        api.on('alarms:shelves', (shelves) => set((s) => ({ alarms: { ...s.alarms, shelves } }))),
        api.on('alarms:flood', (flood) => set((s) => ({ alarms: { ...s.alarms, flood, showLower: flood.active ? s.alarms.showLower : false } }))),
        api.on('cameras:state', ({ id, state }) => set((s) => ({ cameras: stateChanged(s.cameras, id, state) }))),
        api.on('health:update', (report) => set((s) => ({ health: reportReceived(s.health, report, deps.now()) }))),
        api.on('models:install-progress', (p) => {
          set((s) => ({ app: { ...s.app, modelInstall: p } }));
          if (p.state === 'done') void app.loadModels();
        }),
        api.on('models:status', (detection) => {
          set((s) => ({ app: { ...s.app, detection } }));
          void app.loadModels();
        }),
        api.onStatus((connection) => {
          const wasOpen = get().app.connection.state === 'open';
          set((s) => ({ app: { ...s.app, connection } }));
          if (connection.state === 'open' && !wasOpen) loadAll();
        }),
      ];
      const connection = api.status();
      set((s) => ({ app: { ...s.app, connection } }));
      // A WebSocket client loads on its first `open` (above); Electron IPC is open from the start.
      if (connection.state === 'open') loadAll();
      const poll = setInterval(() => void health.pollHealthIfStale(), HEALTH_POLL_MS);
      return () => {
        clearInterval(poll);
        for (const off of offs) off();
      };
    };
    return {
      cameras: initialCamerasState,
      health: initialHealthState,
      app: initialAppState,
      rules: initialRulesState,
      ui: { ...initialUiState, page: opts.initialPage ?? initialUiState.page },
      privacy: initialPrivacyState,
      reports: initialReportsState,
      actions: { ...cameras, ...health, ...app, ...ui, ...rules, ...privacy, ...reports, ...alarms, ...layouts, ...eventsReview, ...exporter, ...integrations, ...playback, ...site, ...downloads, ...recordings, ...watchlist, ...auth.actions, start },
      alarms: initialAlarmsState,
      layouts: initialLayoutsState,
      export: initialExportState,
      integrations: initialIntegrationsState,
      playback: initialPlaybackState,
      site: initialSiteState,
      auth: initialAuthState,
    };
  });
}

export const StoreContext = createContext<RendererStore | null>(null);

/** Reads a slice of the store in a component (selectors must return stable references). */
export function useRoot<T>(selector: (s: RootState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('StoreContext missing');
  return useStore(store, selector);
}
/** The actions object (stable). */
export function useActions(): RootState['actions'] {
  return useRoot((s) => s.actions);
}
