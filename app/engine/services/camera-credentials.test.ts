import { describe, expect, it } from 'vitest';
import { hasMaskedPassword, keepSavedPassword } from './camera-credentials';

describe('keepSavedPassword', () => {
  const saved = 'rtsp://admin:s3cret@10.0.0.5:554/stream1';
  it('keeps the saved password for the same address and user', () => {
    expect(keepSavedPassword('rtsp://admin:***@10.0.0.5:554/stream2', saved)).toBe('rtsp://admin:s3cret@10.0.0.5:554/stream2');
  });
  it('leaves a typed password alone', () => {
    expect(keepSavedPassword('rtsp://admin:new@10.0.0.5/s', saved)).toBe('rtsp://admin:new@10.0.0.5/s');
  });
  it('refuses to send the saved password to another host, port or user', () => {
    expect(() => keepSavedPassword('rtsp://admin:***@evil.example/s', saved)).toThrow(/type the password/);
    expect(() => keepSavedPassword('rtsp://admin:***@10.0.0.5:8554/stream1', saved)).toThrow();
    expect(() => keepSavedPassword('rtsp://root:***@10.0.0.5:554/stream1', saved)).toThrow();
    expect(() => keepSavedPassword('rtsp://admin:***@10.0.0.5/s', '/videos/a.mp4')).toThrow(/no saved password/);
  });
  it('detects the placeholder', () => {
    expect(hasMaskedPassword('rtsp://a:***@h/s')).toBe(true);
    expect(hasMaskedPassword('rtsp://a:b@h/s')).toBe(false);
  });
});
