import { describe, expect, it } from 'vitest';
import { rendererCsp } from './csp';

describe('renderer CSP', () => {
  it('leaves out IPv6 literal sources that Chromium rejects with a warning on every load', () => {
    const csp = rendererCsp(['ws://127.0.0.1:8080', 'ws://localhost:8080', 'ws://[::1]:8080']);
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8080 ws://localhost:8080;");
    expect(csp).not.toContain('[');
  });
});
