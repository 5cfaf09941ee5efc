/**
 * One HTTP byte range (RFC 9110 §14.1.2) of a file of `size` bytes: `bytes=a-b`, `bytes=a-`, `bytes=-n`.
 * Returns null without a Range header (the whole file), 'unsatisfiable' for a range outside the file or several
 * ranges (a <video> element asks for one), else the inclusive start and end.
 */
export function parseByteRange(header: string | undefined | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'unsatisfiable';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** `/playback/<ticket>.mp4` → the ticket (base64url, as EvidenceService hands out), else null. */
export function playbackTicketOf(pathname: string): string | null {
  return /^\/playback\/([A-Za-z0-9_-]{16,64})\.mp4$/.exec(pathname)?.[1] ?? null;
}
