import { describe, expect, it } from 'vitest';
import { hasMaskedCredentials, isCredentialQueryKey, maskUrlCredentials, restoreMaskedCredentials, urlSecrets } from './url-masking';

describe('maskUrlCredentials', () => {
  it('masks the three shapes the security review found', () => {
    expect(maskUrlCredentials('rtsp://admin:pass word1@host/s')).toBe('rtsp://admin:***@host/s');
    expect(maskUrlCredentials('rtsp://admin:p@ss@host')).toBe('rtsp://admin:***@host');
    expect(maskUrlCredentials('http://host/video.cgi?user=admin&pwd=s3cr3t&res=640x480')).toBe('http://host/video.cgi?user=***&pwd=***&res=640x480');
  });

  it('masks URLs inside free text (logs, ffmpeg output) and keeps the rest as written', () => {
    expect(maskUrlCredentials('starting ffmpeg for rtsp://admin:pass word1@10.0.0.5:554/s (attempt 1)')).toBe('starting ffmpeg for rtsp://admin:***@10.0.0.5:554/s (attempt 1)');
    expect(maskUrlCredentials('a rtsp://admin:p@ss@host then https://u:x@h2/p?token=abc#f, done')).toBe('a rtsp://admin:***@host then https://u:***@h2/p?token=***#f, done');
    expect(maskUrlCredentials('"mqtt://broker.local:1883" ok')).toBe('"mqtt://broker.local:1883" ok');
    expect(maskUrlCredentials('rtsp://cam.local/s1 and http://host/a@b')).toBe('rtsp://cam.local/s1 and http://host/a@b');
    expect(maskUrlCredentials('no url here: user=admin&pwd=1')).toBe('no url here: user=admin&pwd=1');
    expect(maskUrlCredentials('postgres://wr:pw@db:5432/x?sslmode=require&password=pw')).toBe('postgres://wr:***@db:5432/x?sslmode=require&password=***');
  });

  it('keeps the user name, masks a user-only info as is and masks nothing else', () => {
    expect(maskUrlCredentials('rtsp://viewer@cam/s')).toBe('rtsp://viewer@cam/s');
    expect(maskUrlCredentials('rtsp://:pw@cam/s')).toBe('rtsp://:***@cam/s');
    expect(maskUrlCredentials('/videos/door.mp4')).toBe('/videos/door.mp4');
  });

  it('knows credential-like query keys', () => {
    for (const k of ['user', 'USERNAME', 'pwd', 'password', 'pass', 'passwd', 'token', 'key', 'secret', 'auth', 'apikey', 'api_key', 'access_token', 'client-secret', 'X-Auth-Token'])
      expect(isCredentialQueryKey(k), k).toBe(true);
    for (const k of ['resolution', 'channel', 'subtype', 'fps', 'stream']) expect(isCredentialQueryKey(k), k).toBe(false);
  });
});

describe('restoreMaskedCredentials', () => {
  const saved = 'http://cam.local/video.cgi?user=admin&pwd=s3cr3t';
  it('keeps saved secrets where the edit sends *** back to the same address', () => {
    expect(restoreMaskedCredentials('http://cam.local/video.cgi?user=***&pwd=***&fps=5', saved)).toEqual({ ok: true, url: 'http://cam.local/video.cgi?user=admin&pwd=s3cr3t&fps=5' });
    expect(restoreMaskedCredentials('rtsp://admin:***@host/s2', 'rtsp://admin:p@ss@host/s')).toEqual({ ok: true, url: 'rtsp://admin:p@ss@host/s2' });
    expect(restoreMaskedCredentials('rtsp://admin:new@host/s', 'rtsp://admin:old@host/s')).toEqual({ ok: true, url: 'rtsp://admin:new@host/s' });
  });
  it('refuses to send a saved secret elsewhere', () => {
    expect(restoreMaskedCredentials('http://evil.example/video.cgi?user=***&pwd=***', saved)).toEqual({ ok: false, why: 'changed' });
    expect(restoreMaskedCredentials('http://cam.local/video.cgi?token=***', saved)).toEqual({ ok: false, why: 'no-saved' });
    expect(hasMaskedCredentials('rtsp://a:***@h/s')).toBe(true);
    expect(hasMaskedCredentials('http://h/s?pwd=***')).toBe(true);
    expect(hasMaskedCredentials('http://h/s?view=***')).toBe(false);
  });
  it('lists the secrets of a URL', () => {
    expect(urlSecrets('rtsp://admin:pass word1@host/s?token=t0k')).toEqual(['pass word1', 't0k']);
  });
});
