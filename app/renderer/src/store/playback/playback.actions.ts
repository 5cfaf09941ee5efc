import type { EvidenceProgress, EvidenceVerify } from '../../../../shared/domain/evidence';
import type { PlaybackTrack } from '../../../../shared/domain/track-at';
import type { EvidenceTimeline, PlaybackClipView } from '../../../../shared/ipc/evidence.contract';
import type { StoreDeps } from '../store-deps';
import { PRE_ROLL_MS } from './playback.state';

export interface PlaybackActions {
  /** Opens Playback on these cameras at `momentMs` minus the pre-roll (from an event or an alarm: one click). */
  openPlayback(cameraIds: string[], momentMs: number): void;
  /** Recorded ranges, events and alarms of the cameras in a window. */
  loadTimeline(cameraIds: string[], from: number, to: number): Promise<EvidenceTimeline>;
  /** A playable clip around `at` (audited by the engine). */
  playClip(cameraId: string, at: number, reason?: string): Promise<PlaybackClipView>;
  /** Boxes and tracks stored for a camera in a window (drawn over the video where they exist). */
  loadTracks(cameraId: string, from: number, to: number): Promise<PlaybackTrack[]>;
  /** Starts an evidence export (supervisors; the host asks for the password or a second person first). */
  startEvidenceExport(i: { cameraIds: string[]; from: number; to: number; reason: string; folder?: string }, withoutMasks: boolean): Promise<{ exportId: string }>;
  cancelEvidenceExport(exportId: string): Promise<boolean>;
  verifyEvidence(folder: string): Promise<EvidenceVerify>;
  /** Progress pushes of evidence exports; returns unsubscribe. */
  onEvidenceProgress(listener: (p: EvidenceProgress) => void): () => void;
}

/** Where the host serves a clip: `/playback/<ticket>.mp4` on the renderer's own origin (headless host and app://). */
export const playbackUrl = (ticket: string): string => `/playback/${encodeURIComponent(ticket)}.mp4`;

export function createPlaybackActions({ api, set, now }: StoreDeps): PlaybackActions {
  return {
    openPlayback: (cameraIds, momentMs) => set((s) => ({ playback: { target: { cameraIds, atMs: momentMs - PRE_ROLL_MS, key: now() } }, ui: { ...s.ui, page: 'playback' } })),
    loadTimeline: (cameraIds, from, to) => api.invoke('evidence:timeline', { cameraIds, from: Math.max(0, Math.floor(from)), to: Math.floor(to) }),
    playClip: (cameraId, at, reason) => api.invoke('evidence:play', { cameraId, at: Math.max(0, Math.floor(at)), ...(reason ? { reason } : {}) }),
    loadTracks: async (cameraId, from, to) => (await api.invoke('evidence:tracks', { cameraId, from: Math.floor(from), to: Math.ceil(Math.min(to, from + 3_600_000)) })).tracks,
    startEvidenceExport: (i, withoutMasks) => api.invoke(withoutMasks ? 'evidence:export-unmasked' : 'evidence:export', { ...i, from: Math.floor(i.from), to: Math.floor(i.to), ...(i.folder ? { folder: i.folder } : {}) }),
    cancelEvidenceExport: async (exportId) => (await api.invoke('evidence:cancel', { exportId })).cancelled,
    verifyEvidence: (folder) => api.invoke('evidence:verify', { folder }),
    onEvidenceProgress: (listener) => api.on('evidence:progress', listener),
  };
}
