import type { Box } from './detection';

/** A stored track as playback draws it: samples of wall time and box (normalised 0..1 frame coordinates). */
export interface PlaybackTrack {
  trackId: number;
  cls: string;
  samples: { ms: number; box: Box }[];
}

/**
 * Where each track's box is at wall time `ms`: linearly between the two samples around it (stored tracks keep a
 * sample every 0.25–2 s), nothing before a track's first or after its last sample (beyond `holdMs`).
 */
export function boxesAt(tracks: readonly PlaybackTrack[], ms: number, holdMs = 250): { trackId: number; cls: string; box: Box }[] {
  const out: { trackId: number; cls: string; box: Box }[] = [];
  for (const t of tracks) {
    const s = t.samples;
    if (!s.length || ms < s[0]!.ms - holdMs || ms > s[s.length - 1]!.ms + holdMs) continue;
    let i = 0;
    while (i + 1 < s.length && s[i + 1]!.ms <= ms) i++;
    const a = s[i]!;
    const b = s[i + 1];
    if (!b || ms <= a.ms) {
      out.push({ trackId: t.trackId, cls: t.cls, box: a.box });
      continue;
    }
    const f = (ms - a.ms) / (b.ms - a.ms);
    out.push({ trackId: t.trackId, cls: t.cls, box: a.box.map((v, k) => v + (b.box[k]! - v) * f) as Box });
  }
  return out;
}
