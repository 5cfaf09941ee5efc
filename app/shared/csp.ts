/**
 * The renderer's Content-Security-Policy, sent as a header by both hosts (Electron session headers for
 * app://, the headless host's HTTP responses). `connect` lists the extra sources the renderer may connect to
 * (the headless host's own ws:// origin); nothing else leaves the machine.
 */
export function rendererCsp(connect: readonly string[] = []): string {
  // Chromium's CSP parser rejects IPv6 literals (`ws://[::1]:port`: "contains an invalid source ... It will be
  // ignored") and warns on every load; the page's own origin, IPv6 included, is already covered by 'self'
  // (CSP 3 matches ws:/wss: of the same host and port), so such sources are left out.
  const sources = connect.filter((c) => !c.includes('['));
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    `connect-src 'self'${sources.map((c) => ` ${c}`).join('')}`,
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
