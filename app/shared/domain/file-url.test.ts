import { describe, expect, it } from 'vitest';
import { parseSource } from './camera';
import { checkFileUrl } from './file-url';

describe('file:// camera sources (a malformed one must not take the camera worker down)', () => {
  it('accepts a local file, with or without localhost, and a Windows drive', () => {
    expect(checkFileUrl('file:///videos/door%20cam.mp4')).toBe('/videos/door cam.mp4');
    expect(checkFileUrl('file://localhost/videos/door.mp4')).toBe('/videos/door.mp4');
    expect(checkFileUrl('file:///C:/videos/door.mp4')).toBe('/C:/videos/door.mp4');
    expect(parseSource('file:///videos/door.mp4')).toEqual({ kind: 'file', masked: 'file:///videos/door.mp4' });
  });

  it.each([
    ['file://remotehost/x', /on this computer .* not on "remotehost"/],
    ['file://192.168.1.9/share/x.mp4', /not on "192\.168\.1\.9"/],
    ['file:///a%2Fb', /encoded slash/],
    ['file:///a%2fb.mp4', /encoded slash/],
    ['file:///a%5Cb.mp4', /encoded slash/],
    ['file:///a%E0%A4%A.mp4', /malformed/],
    ['file:///x%00.mp4', /control characters/],
    ['file:///', /names no file/],
    ['file:///videos/', /names no file/],
    ['file://user:pw@localhost/x.mp4', /malformed/],
  ])('refuses %s with a clear message', (src, message) => {
    expect(() => parseSource(src)).toThrow(message);
  });
});
