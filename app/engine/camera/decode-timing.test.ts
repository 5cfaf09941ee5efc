import { describe, expect, it } from 'vitest';
import { benchmarksWholeDecode, DECODE_WINDOW, DecodeTiming, parseBenchLine } from './decode-timing';
import { classifyFfmpegExit, parseInputVideoSize } from './ffmpeg-diagnostics';

// Real stderr of this machine's ffmpeg (5.1.9, Debian 12) with -benchmark_all -threads 1: a live h264 stream over
// TCP (768x432, 10 fps, analysed at 5 fps) whose server resets the connection after about a second. ffmpeg ends
// every bench line with a space; trailing spaces are trimmed here (the parser does not need them).
const LIVE_THEN_RESET = `Input #0, mpegts, from 'tcp://127.0.0.1:45678':
  Duration: N/A, start: 1.500000, bitrate: N/A
  Program 1
    Metadata:
      service_name    : Service01
      service_provider: FFmpeg
  Stream #0:0[0x100]: Video: h264 (Main) ([27][0][0][0] / 0x001B), yuv420p(tv, smpte170m, progressive), 768x432, 10 fps, 10 tbr, 90k tbn
Stream mapping:
  Stream #0:0 (h264) -> fps:default
  scale:default -> Stream #0:0 (mjpeg)
bench:     1580 user      790 sys     2370 real decode_video 0.0
bench:        0 user     1408 sys     1417 real decode_video 0.0
[swscaler @ 0x55bbab315f00] [swscaler @ 0x55bbab322ec0] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab315f00] [swscaler @ 0x55bbab33bec0] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab315f00] [swscaler @ 0x55bbab35ef40] deprecated pixel format used, make sure you did set range correctly
bench:        0 user        3 sys        4 real decode_video 0.0
bench:        0 user     2287 sys     2286 real decode_video 0.0
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab360740] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab315f00] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab332180] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab360740] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab315f00] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab3331c0] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab360740] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab315f00] deprecated pixel format used, make sure you did set range correctly
[swscaler @ 0x55bbab353740] [swscaler @ 0x55bbab3344c0] deprecated pixel format used, make sure you did set range correctly
bench:        0 user        3 sys        4 real decode_video 0.0
Output #0, mjpeg, to '/dev/null':
  Metadata:
    encoder         : Lavf59.27.100
  Stream #0:0: Video: mjpeg, yuvj420p(pc, smpte170m, progressive), 768x432, q=2-31, 200 kb/s, 5 fps, 5 tbn
    Metadata:
      encoder         : Lavc59.37.100 mjpeg
    Side data:
      cpb: bitrate max/min/avg: 0/0/200000 buffer size: 0 vbv_delay: N/A
bench:     2306 user     1129 sys     2145 real encode_video 0.0
bench:     1456 user      904 sys     2358 real decode_video 0.0
bench:        1 user        1 sys        4 real decode_video 0.0
bench:      161 user      106 sys      267 real decode_video 0.0
bench:        3 user        0 sys        3 real decode_video 0.0
bench:       37 user        0 sys       38 real encode_video 0.0
bench:       13 user        0 sys       12 real encode_video 0.0
bench:      250 user        0 sys      249 real decode_video 0.0
bench:        2 user        0 sys        2 real decode_video 0.0
bench:      263 user        0 sys      262 real decode_video 0.0
bench:        2 user        0 sys        4 real decode_video 0.0
bench:        8 user        0 sys        8 real encode_video 0.0
bench:     2121 user      414 sys     2533 real decode_video 0.0
bench:        2 user        1 sys        3 real decode_video 0.0
bench:      149 user      101 sys      248 real decode_video 0.0
bench:        2 user        1 sys        3 real decode_video 0.0
bench:       20 user       14 sys       34 real encode_video 0.0
bench:        7 user        4 sys       11 real encode_video 0.0
bench:      116 user       79 sys      194 real decode_video 0.0
bench:        1 user        1 sys        2 real decode_video 0.0
bench:      874 user     1909 sys     2245 real decode_video 0.0
bench:        2 user        1 sys        3 real decode_video 0.0
bench:        5 user        3 sys        7 real encode_video 0.0
bench:        5 user        4 sys        9 real encode_video 0.0
tcp://127.0.0.1:45678: Connection reset by peer
bench:        3 user        2 sys        5 real decode_video 0.0
tcp://127.0.0.1:45678: Connection reset by peer
bench:        2 user        2 sys        3 real decode_video 0.0
bench:       38 user        0 sys       39 real encode_video 0.0
bench:       16 user        0 sys       17 real encode_video 0.0
bench:        2 user        0 sys        2 real flush_video 0.0
bench:     4710 user        0 sys     4774 real flush_video 0.0
bench:       13 user        0 sys       13 real flush_video 0.0
frame=    6 fps=0.0 q=5.0 Lsize=     112kB time=00:00:01.20 bitrate= 765.3kbits/s speed=23.2x
video:112kB audio:0kB subtitle:0kB other streams:0kB global headers:0kB muxing overhead: 0.000000%`;

// Real stderr with a privacy-mask image as input 1 (its decoder's lines are `decode_video 1.0`).
const WITH_MASK_INPUT = `bench:      288 user      182 sys       44 real decode_video 1.0
bench:        2 user        1 sys        2 real decode_video 1.0
bench:     3165 user     3440 sys     6577 real decode_video 0.0
bench:     2422 user     1580 sys     3533 real decode_video 0.0
bench:        6 user        4 sys       13 real decode_video 0.0
bench:     2059 user     1317 sys     3182 real decode_video 0.0
bench:        6 user        3 sys       13 real decode_video 0.0
bench:      401 user     4321 sys     4721 real encode_video 0.0
bench:       28 user       19 sys       50 real encode_video 0.0
bench:        0 user     3656 sys     3656 real decode_video 0.0
bench:        0 user        4 sys        4 real decode_video 0.0
bench:      237 user      182 sys      421 real decode_video 0.0`;

const lines = (text: string) => text.split('\n');

function feed(text: string): { timing: DecodeTiming; kept: string[] } {
  const timing = new DecodeTiming();
  const kept = lines(text).filter((l) => l.trim() && !timing.consume(l));
  return { timing, kept };
}

describe('ffmpeg -benchmark_all lines', () => {
  it('parses the per-call line, as printed (trailing space included)', () => {
    expect(parseBenchLine('bench:     1456 user      904 sys     2358 real decode_video 0.0 ')).toEqual({ stage: 'decode_video', file: 0, userUs: 1456, sysUs: 904, realUs: 2358 });
    expect(parseBenchLine('bench:      288 user      182 sys       44 real decode_video 1.0')).toMatchObject({ stage: 'decode_video', file: 1, realUs: 44 });
    expect(parseBenchLine('bench:     4710 user        0 sys     4774 real flush_video 0.0')).toMatchObject({ stage: 'flush_video', realUs: 4774 });
    // ffmpeg's final -benchmark summary and ordinary lines are not per-call lines.
    expect(parseBenchLine('bench: utime=1.234s stime=0.100s rtime=2.000s')).toBeNull();
    expect(parseBenchLine('tcp://127.0.0.1:45678: Connection reset by peer')).toBeNull();
  });

  it('pairs decode calls into decoded frames: mean and p95 of the decoder wall time per frame', () => {
    const { timing } = feed(LIVE_THEN_RESET);
    // Calls of input 0 (µs): 2370 1417 | 4 2286 | 4 2358 | 4 267 | 3 249 | 2 262 | 4 2533 | 3 248 | 3 194 | 2 2245 | 3 5 | 3
    // The first packet gave no frame yet (h264 reordering delay), so the first sample holds two packets'
    // decoding; each later one is an empty call plus a decoding call. 11 samples, the last call is half a pair.
    const samplesUs = [3787, 2290, 2362, 271, 252, 264, 2537, 251, 197, 2247, 8];
    const s = timing.stats()!;
    expect(s.frames).toBe(11);
    expect(s.meanMs).toBeCloseTo(samplesUs.reduce((a, b) => a + b, 0) / 11 / 1000, 9);
    expect(s.p95Ms).toBeCloseTo(3.787, 9);
  });

  it('counts the camera (input 0) only, not the privacy-mask image (input 1)', () => {
    const { timing } = feed(WITH_MASK_INPUT);
    // Input 0: 6577 3533 | 13 3182 | 13 3656 | 4 421 (encode lines in between do not count).
    const s = timing.stats()!;
    expect(s.frames).toBe(4);
    expect(s.meanMs).toBeCloseTo((10110 + 3195 + 3669 + 425) / 4 / 1000, 9);
  });

  it('keeps benchmark lines out of the diagnostics tail, so exit classification still works', () => {
    const { kept } = feed(LIVE_THEN_RESET);
    expect(kept.some((l) => l.startsWith('bench:'))).toBe(false);
    expect(kept).toContain('tcp://127.0.0.1:45678: Connection reset by peer');
    // The session keeps the last 40 lines; ffmpeg went on logging flush timings after the reset.
    expect(classifyFfmpegExit('rtsp', 0, null, kept.slice(-40)).reason).toMatch(/Connection lost/);
    // The input stream line (source size) is still seen by the diagnostics.
    expect(kept.map(parseInputVideoSize).find(Boolean)).toEqual({ width: 768, height: 432 });
  });

  it('replays "Last message repeated N times" after a decode line, and swallows it after any bench line', () => {
    const t = new DecodeTiming();
    expect(t.consume('bench:      250 user        0 sys      249 real decode_video 0.0 ')).toBe(true);
    expect(t.consume('    Last message repeated 3 times')).toBe(true);
    expect(t.stats()).toMatchObject({ frames: 2, meanMs: 0.498 });
    expect(t.consume('bench:       38 user        0 sys       39 real encode_video 0.0 ')).toBe(true);
    expect(t.consume('    Last message repeated 1 times')).toBe(true);
    expect(t.stats()!.frames).toBe(2);
    // After an ordinary line the notice is ordinary too (it belongs to that line).
    expect(t.consume('[swscaler @ 0x55bbab315f00] deprecated pixel format used, make sure you did set range correctly')).toBe(false);
    expect(t.consume('    Last message repeated 2 times')).toBe(false);
  });

  it('rolls over the last 100 frames and forgets everything on reset', () => {
    const t = new DecodeTiming();
    expect(t.stats()).toBeNull();
    const call = (us: number) => t.consume(`bench: ${us} user 0 sys ${us} real decode_video 0.0 `);
    for (let i = 0; i < DECODE_WINDOW; i++) {
      call(9000); // 10 ms per frame
      call(1000);
    }
    for (let i = 0; i < DECODE_WINDOW; i++) {
      call(1500); // then 2 ms per frame
      call(500);
    }
    expect(t.stats()).toMatchObject({ meanMs: 2, p95Ms: 2, frames: DECODE_WINDOW });
    call(700); // half a pair
    t.reset();
    expect(t.stats()).toBeNull();
    call(300);
    call(200);
    expect(t.stats()).toMatchObject({ meanMs: 0.5, p95Ms: 0.5, frames: 1 });
  });
  it('keeps a histogram of every decoded frame since the worker started, across resets (a ffmpeg restart)', () => {
    const t = new DecodeTiming();
    const call = (us: number) => t.consume(`bench: ${us} user 0 sys ${us} real decode_video 0.0 `);
    for (let i = 0; i < 150; i++) {
      call(9000); // 10 ms per frame
      call(1000);
    }
    t.reset();
    for (let i = 0; i < 50; i++) {
      call(1500); // 2 ms per frame
      call(500);
    }
    const h = t.stats()!.histogram;
    // Buckets (s): 0.005, 0.01, 0.02, ... cumulative, as Prometheus counts them.
    expect(h.buckets).toEqual([50, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    expect(h.count).toBe(200);
    expect(h.sum).toBeCloseTo(150 * 0.01 + 50 * 0.002, 9);
  });
});

describe('which ffmpeg times the whole decode', () => {
  it.each([
    ['ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers', true],
    ['ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright (c) 2000-2021 the FFmpeg developers', true],
    ['ffmpeg version 6.0-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2023 the FFmpeg developers', true],
    ['ffmpeg version n6.0 Copyright (c) 2000-2023 the FFmpeg developers', true],
    ['ffmpeg version 6.1.1-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2023 the FFmpeg developers', false],
    ['ffmpeg version 7.1.1-1+b1 Copyright (c) 2000-2025 the FFmpeg developers', false],
    ['ffmpeg version N-113237-g1a2b3c4d5e Copyright (c) 2000-2024 the FFmpeg developers', false],
    ['ffmpeg version 2024-03-07-git-97beb63a66-essentials_build-www.gyan.dev Copyright (c) 2000-2024 the FFmpeg developers', false],
    [null, false],
  ] as const)('%s -> %s', (line, expected) => {
    expect(benchmarksWholeDecode(line)).toBe(expected);
  });
});
