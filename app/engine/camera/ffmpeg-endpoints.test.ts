import { describe, expect, it } from 'vitest';
import { chooseFfmpegTransport, FFMPEG_TRANSPORT_ENV, fileUrl, localSocketPath, localSocketUrl, PIPE_ENDPOINTS } from './ffmpeg-endpoints';

describe('choosing the ffmpeg transport', () => {
  it('Windows uses local sockets, other platforms inherited pipes', () => {
    expect(chooseFfmpegTransport(undefined, {}, 'win32')).toBe('sockets');
    expect(chooseFfmpegTransport(undefined, {}, 'linux')).toBe('pipes');
    expect(chooseFfmpegTransport(undefined, {}, 'darwin')).toBe('pipes');
  });
  it('the environment variable forces one where no option does; an option wins; nonsense is ignored', () => {
    expect(chooseFfmpegTransport(undefined, { [FFMPEG_TRANSPORT_ENV]: 'sockets' }, 'linux')).toBe('sockets');
    expect(chooseFfmpegTransport(undefined, { [FFMPEG_TRANSPORT_ENV]: ' Pipes ' }, 'win32')).toBe('pipes');
    expect(chooseFfmpegTransport('pipes', { [FFMPEG_TRANSPORT_ENV]: 'sockets' }, 'linux')).toBe('pipes');
    expect(chooseFfmpegTransport(undefined, { [FFMPEG_TRANSPORT_ENV]: 'carrier-pigeon' }, 'linux')).toBe('pipes');
  });
});

describe('local socket names and URLs', () => {
  const name = { dir: '/tmp/watchroom-ffmpeg-Ab12Cd', pid: 4242, cameraId: 'cam-1', n: 3 };

  it('Windows: a named pipe per worker, camera and socket, given to ffmpeg as the bare path (file protocol)', () => {
    const p = localSocketPath('win32', name);
    expect(p).toBe('\\\\.\\pipe\\watchroom-4242-cam-1-3');
    expect(localSocketUrl('win32', p)).toBe(p);
    // No colon: ffmpeg must not read any of it as a protocol name.
    expect(p).not.toContain(':');
  });

  it('Windows: a camera id cannot reach outside the pipe name', () => {
    const p = localSocketPath('win32', { ...name, cameraId: '..\\..\\evil:cam/x y' + 'z'.repeat(100) });
    expect(p.startsWith('\\\\.\\pipe\\watchroom-4242-')).toBe(true);
    expect(p.slice('\\\\.\\pipe\\'.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(p.length).toBeLessThan(100);
  });

  it('POSIX: a unix socket in the private folder, given to ffmpeg as unix:<path>', () => {
    const p = localSocketPath('linux', { ...name, cameraId: 'anything: not used in the path' });
    expect(p).toBe('/tmp/watchroom-ffmpeg-Ab12Cd/3.sock');
    expect(localSocketUrl('linux', p)).toBe('unix:/tmp/watchroom-ffmpeg-Ab12Cd/3.sock');
    expect(localSocketUrl('darwin', p)).toBe('unix:/tmp/watchroom-ffmpeg-Ab12Cd/3.sock');
  });

  it('POSIX: a path too long to bind is refused with a clear message', () => {
    expect(() => localSocketPath('linux', { ...name, dir: `/tmp/${'d'.repeat(120)}` })).toThrow(/too long for a local socket/);
  });

  it('the mask image file is given with file: (a colon in a folder name stays part of the path)', () => {
    expect(fileUrl('/tmp/a:b/mask-3.pgm')).toBe('file:/tmp/a:b/mask-3.pgm');
    expect(fileUrl('C:\\Users\\o\\AppData\\Local\\Temp\\watchroom-ffmpeg-x\\mask-3.pgm')).toBe('file:C:\\Users\\o\\AppData\\Local\\Temp\\watchroom-ffmpeg-x\\mask-3.pgm');
  });

  it('the pipes transport keeps fds 3, 4 and 5', () => {
    expect(PIPE_ENDPOINTS).toEqual({ jpeg: 'pipe:3', raw: 'pipe:4', mask: 'pipe:5' });
  });
});
