import { describe, expect, it } from 'vitest';
import type { ModelInputSpec } from '../inference/inference-api';
import { buildFfmpegArgs, inferenceBranch, inputArgs, letterboxFilter, letterboxInfo } from './ffmpeg-args';

const spec = (letterbox: ModelInputSpec['letterbox'], colour: ModelInputSpec['colour'] = 'bgr'): ModelInputSpec => ({
  modelId: 'm',
  width: 416,
  height: 416,
  colour,
  letterbox,
  padValue: 114,
});

describe('ffmpeg input arguments', () => {
  it('rtsp carries the transport and a socket timeout', () => {
    expect(inputArgs({ source: 'rtsp://u:p@cam/s', kind: 'rtsp', rtspTransport: 'udp', ioTimeoutMs: 5000 })).toEqual([
      '-rtsp_transport',
      'udp',
      '-timeout',
      '5000000',
      '-allowed_media_types',
      'video',
      '-i',
      'rtsp://u:p@cam/s',
    ]);
  });
  it('files loop forever in real time; file:// URLs become paths', () => {
    expect(inputArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp' })).toEqual(['-re', '-stream_loop', '-1', '-i', '/v/a.mp4']);
    expect(inputArgs({ source: 'file:///v/a%20b.mp4', kind: 'file', rtspTransport: 'tcp' }).at(-1)).toBe('/v/a b.mp4');
    expect(inputArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp', realtime: false })).toEqual(['-stream_loop', '-1', '-i', '/v/a.mp4']);
  });
  it('http uses rw_timeout; live MJPEG is stamped on arrival, HLS keeps its timestamps', () => {
    expect(inputArgs({ source: 'http://cam/video.mjpg', kind: 'http', rtspTransport: 'tcp' })).toEqual([
      '-rw_timeout',
      '10000000',
      '-use_wallclock_as_timestamps',
      '1',
      '-i',
      'http://cam/video.mjpg',
    ]);
    expect(inputArgs({ source: 'https://nvr/live/cam1.m3u8?token=x', kind: 'http', rtspTransport: 'tcp' })).toEqual([
      '-rw_timeout',
      '10000000',
      '-i',
      'https://nvr/live/cam1.m3u8?token=x',
    ]);
  });
  it('devices use the platform capture API', () => {
    expect(inputArgs({ source: '/dev/video0', kind: 'device', rtspTransport: 'tcp' })).toEqual(['-f', 'v4l2', '-i', '/dev/video0']);
    expect(inputArgs({ source: 'video=USB Camera', kind: 'device', rtspTransport: 'tcp', platform: 'win32' })).toEqual([
      '-f',
      'dshow',
      '-rtbufsize',
      '64M',
      '-i',
      'video=USB Camera',
    ]);
    expect(inputArgs({ source: 'avfoundation:1', kind: 'device', rtspTransport: 'tcp', platform: 'darwin' })).toEqual([
      '-f',
      'avfoundation',
      '-framerate',
      '30',
      '-i',
      '1:none',
    ]);
  });
});

describe('ffmpeg outputs', () => {
  it('without inference: one fps filter, MJPEG on fd 3 only', () => {
    const p = buildFfmpegArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 5, marker: 'watchroom-cam-x' });
    const graph = p.args[p.args.indexOf('-filter_complex') + 1];
    expect(graph).toBe("[0:v:0]fps=5,scale=-2:'min(720,ih)'[disp]");
    expect(p.args.at(-1)).toBe('pipe:3');
    expect(p.args).toContain('comment=watchroom-cam-x');
    expect(p.rawFrameBytes).toBeNull();
    expect(p.args).not.toContain('pipe:4');
  });
  it('with inference: one fps filter split into display and letterboxed raw output on fd 4', () => {
    const p = buildFfmpegArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 10, inference: spec('center') });
    const graph = p.args[p.args.indexOf('-filter_complex') + 1]!;
    expect(graph.match(/fps=/g)).toHaveLength(1);
    expect(graph).toContain('split=2');
    expect(p.args.at(-1)).toBe('pipe:4');
    expect(p.args.slice(p.args.indexOf('[inf]'))).toContain('bgr24');
    expect(p.rawFrameBytes).toBe(416 * 416 * 3);
  });
  it('sends both outputs to the endpoints it is given (local sockets)', () => {
    const endpoints = { jpeg: 'unix:/tmp/wr/1.sock', raw: 'unix:/tmp/wr/2.sock', mask: 'file:/tmp/wr/mask-2.pgm' };
    const p = buildFfmpegArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 10, inference: spec('center'), endpoints });
    const piped = buildFfmpegArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 10, inference: spec('center') });
    expect(p.args.at(-1)).toBe('unix:/tmp/wr/2.sock');
    expect(p.args.slice(p.args.indexOf('[inf]') - 4, p.args.indexOf('[inf]') - 1)).toEqual(['-f', 'mjpeg', 'unix:/tmp/wr/1.sock']);
    expect(p.args.join(' ')).not.toContain('pipe:');
    // The same command otherwise: only where the bytes go differs.
    expect(p.args.map((a) => a.replace('unix:/tmp/wr/1.sock', 'pipe:3').replace('unix:/tmp/wr/2.sock', 'pipe:4'))).toEqual(piped.args);
  });
  it('asks for per-call benchmark lines (decode latency) only when told to', () => {
    const base = { source: '/v/a.mp4', kind: 'file' as const, rtspTransport: 'tcp' as const, analysisFps: 5 };
    expect(buildFfmpegArgs(base).args).not.toContain('-benchmark_all');
    const args = buildFfmpegArgs({ ...base, benchmarkDecode: true }).args;
    // A global option: before the input, next to the log level it needs (the lines are logged at info).
    expect(args.indexOf('-benchmark_all')).toBeGreaterThan(args.indexOf('info'));
    expect(args.indexOf('-benchmark_all')).toBeLessThan(args.indexOf('-i'));
  });
  it('letterbox filters per mode', () => {
    expect(letterboxFilter(spec('stretch', 'rgb'))).toBe('scale=416:416,format=rgb24');
    expect(letterboxFilter(spec('topleft'))).toBe('scale=416:416:force_original_aspect_ratio=decrease,format=bgr24,pad=416:416:0:0:color=0x727272');
    expect(letterboxFilter(spec('center'))).toContain('pad=416:416:(ow-iw)/2:(oh-ih)/2:color=0x727272');
  });
  it('letterbox geometry mirrors ffmpeg', () => {
    expect(letterboxInfo(768, 432, spec('topleft'))).toMatchObject({ contentWidth: 416, contentHeight: 234, padX: 0, padY: 0 });
    expect(letterboxInfo(768, 432, spec('center'))).toMatchObject({ contentWidth: 416, contentHeight: 234, padX: 0, padY: 91 });
    expect(letterboxInfo(480, 640, spec('center'))).toMatchObject({ contentWidth: 312, contentHeight: 416, padX: 52, padY: 0 });
    expect(letterboxInfo(1280, 720, spec('stretch'))).toMatchObject({ contentWidth: 416, contentHeight: 416, padX: 0, padY: 0 });
  });
});

describe('tiled detection in the camera graph', () => {
  const tiling = { columns: 2, rows: 1, overlap: 0.2, wholeFrame: false };
  it('an untiled camera keeps the one letterbox chain', () => {
    expect(inferenceBranch('inf_in', 'inf', spec('topleft'), null)).toBe(`[inf_in]${letterboxFilter(spec('topleft'))}[inf]`);
  });
  it('splits the model branch into a crop + letterbox per tile, stacked into one raw frame of all the inputs', () => {
    const g = inferenceBranch('inf_in', 'inf', spec('topleft'), { ...tiling, wholeFrame: true });
    expect(g).toContain('[inf_in]split=3');
    // the whole frame first (no crop), then the tiles left to right, edges as floor(iw*fraction)
    expect(g).toContain(`[inf_t0_in]${letterboxFilter(spec('topleft'))}[inf_t0]`);
    expect(g).toContain('crop=w=floor(iw*0.555556)-0:h=ih-0:x=0:y=0:exact=1');
    expect(g).toContain('crop=w=iw-floor(iw*0.444444):h=ih-0:x=floor(iw*0.444444):y=0:exact=1');
    expect(g.endsWith('[inf_t0][inf_t1][inf_t2]vstack=inputs=3[inf]')).toBe(true);
  });
  it('one decode and one fps filter feed display and the tiles; the raw frame is the inputs stacked', () => {
    const plan = buildFfmpegArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 5, inference: spec('topleft'), tiling });
    const graph = plan.args[plan.args.indexOf('-filter_complex') + 1]!;
    expect(graph.match(/fps=/g)).toHaveLength(1);
    expect(graph.startsWith('[0:v:0]fps=5,split=2[disp_in][inf_in];')).toBe(true);
    expect(plan.rawFrameBytes).toBe(2 * 416 * 416 * 3);
    expect(buildFfmpegArgs({ source: '/v/a.mp4', kind: 'file', rtspTransport: 'tcp', analysisFps: 5, inference: spec('topleft'), tiling: null }).rawFrameBytes).toBe(416 * 416 * 3);
  });
});
