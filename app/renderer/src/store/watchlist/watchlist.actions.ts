import type { EnrolRequest, FaceCategory, FaceMatchView, WatchlistEntryView } from '../../../../shared/domain/faces';
import type { StoreDeps } from '../store-deps';

/**
 * The face watchlist's screens: the Watchlist page and the camera form's Face matching switch. Each look at the
 * list is audited by the engine, so the page loads it when opened and keeps it in its own state (no slice); the
 * actions return what the host answered and reject with its error (the guarded API has already asked for the
 * password or the second person where the channel needs it).
 */
export interface WatchlistActions {
  loadWatchlist(): Promise<{ entries: WatchlistEntryView[]; thresholds: Record<FaceCategory, number> }>;
  enrolPerson(req: EnrolRequest): Promise<WatchlistEntryView>;
  removeFromWatchlist(id: string): Promise<void>;
  exportWatchlistEntry(id: string): Promise<{ entry: WatchlistEntryView; photos: string[]; matches: FaceMatchView[] }>;
  eraseFromWatchlist(id: string): Promise<{ matches: number }>;
  setFaceThreshold(category: FaceCategory, threshold: number): Promise<Record<FaceCategory, number>>;
  loadCameraFaces(cameraId: string): Promise<{ enabled: boolean; notice: string }>;
  setCameraFaces(cameraId: string, enabled: boolean, noticeAccepted: boolean): Promise<boolean>;
}

export function createWatchlistActions({ api }: StoreDeps): WatchlistActions {
  return {
    loadWatchlist: () => api.invoke('faces:list'),
    enrolPerson: (req) => api.invoke('faces:enrol', req),
    removeFromWatchlist: async (id) => void (await api.invoke('faces:remove', { id })),
    exportWatchlistEntry: (id) => api.invoke('faces:export', { id }),
    eraseFromWatchlist: (id) => api.invoke('faces:erase', { id }),
    setFaceThreshold: (category, threshold) => api.invoke('faces:set-threshold', { category, threshold }),
    loadCameraFaces: (cameraId) => api.invoke('faces:camera-get', { cameraId }),
    setCameraFaces: async (cameraId, enabled, noticeAccepted) => (await api.invoke('faces:camera-set', { cameraId, enabled, noticeAccepted })).enabled,
  };
}
