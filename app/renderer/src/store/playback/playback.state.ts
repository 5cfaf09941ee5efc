/** Seconds of recording shown before an event's or alarm's moment when playback opens from it. */
export const PRE_ROLL_MS = 10_000;

/** What the Playback page shows: cameras side by side on one time (null: the officer chooses). */
export interface PlaybackState {
  target: { cameraIds: string[]; atMs: number; key: number } | null;
}

export const initialPlaybackState: PlaybackState = { target: null };
