import { describe, expect, it } from 'vitest';
import { classifyFfmpegExit, maskLine, parseInputVideoSize } from './ffmpeg-diagnostics';

describe('ffmpeg diagnostics', () => {
  it('parses the input video size, not the codec tag', () => {
    expect(
      parseInputVideoSize('  Stream #0:0[0x1](eng): Video: h264 (Main) (avc1 / 0x31637661), yuv420p(tv, smpte170m, progressive), 768x432, 187 kb/s, 10 fps'),
    ).toEqual({ width: 768, height: 432 });
    expect(parseInputVideoSize('  Stream #0:1: Audio: aac, 44100 Hz')).toBeNull();
  });

  it('masks credentials in URLs and the raw password anywhere', () => {
    const src = 'rtsp://admin:pa%24s@cam/s';
    expect(maskLine('rtsp://admin:pa%24s@cam/s: Server returned 401 Unauthorized', src)).toBe('rtsp://admin:***@cam/s: Server returned 401 Unauthorized');
    expect(maskLine('weird pa$s echo', src)).toBe('weird *** echo');
  });

  it.each([
    [['rtsp://u:***@h/x: Server returned 401 Unauthorized (authorization failed)'], 'rtsp', /Authentication failed/, true],
    [['rtsp://127.0.0.1:1/x: Connection refused'], 'rtsp', /Connection refused/, false],
    [['/v/missing.mp4: No such file or directory'], 'file', /file not found/, true],
    [['/dev/video99: No such file or directory'], 'device', /No such video device/, true],
    [['moov atom not found', 'x: Invalid data found when processing input'], 'file', /Not a playable video/, true],
    [['Failed to resolve hostname nope.invalid: Name or service not known'], 'rtsp', /Host name not found/, false],
  ] as const)('classifies %j', (tail, kind, re, permanent) => {
    const f = classifyFfmpegExit(kind, 1, null, [...tail]);
    expect(f.reason).toMatch(re);
    expect(f.permanent).toBe(permanent);
  });

  it('exit code 0 with an empty stderr is a stream that ended (transient)', () => {
    expect(classifyFfmpegExit('rtsp', 0, null, [])).toEqual({ reason: 'The stream ended', permanent: false });
  });
});

describe('input format check', () => {
  it('rejects text rendered as video by the tty demuxer', async () => {
    const { rejectInputFormat } = await import('./ffmpeg-diagnostics');
    expect(rejectInputFormat("Input #0, tty, from '/tmp/notes.txt':")).toMatch(/not a playable video/i);
    expect(rejectInputFormat("Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/v/a.mp4':")).toBeNull();
    expect(rejectInputFormat("Input #0, rtsp, from 'rtsp://u:***@h/x':")).toBeNull();
  });
});
