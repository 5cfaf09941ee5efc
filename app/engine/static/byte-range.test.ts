import { describe, expect, it } from 'vitest';
import { parseByteRange, playbackTicketOf } from './byte-range';

describe('parseByteRange', () => {
  it('reads the forms a video element sends', () => {
    expect(parseByteRange(undefined, 100)).toBeNull();
    expect(parseByteRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseByteRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseByteRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
  });
  it('refuses ranges outside the file and multiple ranges', () => {
    for (const h of ['bytes=100-', 'bytes=5-2', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=-0']) expect(parseByteRange(h, 100), h).toBe('unsatisfiable');
  });
  it('accepts only ticket-shaped playback paths', () => {
    expect(playbackTicketOf('/playback/abcdefghijklmnopqrstuvwx.mp4')).toBe('abcdefghijklmnopqrstuvwx');
    expect(playbackTicketOf('/playback/../../etc/passwd.mp4')).toBeNull();
    expect(playbackTicketOf('/playback/short.mp4')).toBeNull();
  });
});
