/**
 * The renderer's Content-Security-Policy, sent as a header by both hosts (Electron session headers for
 * app://, the headless host's HTTP responses). `connect` lists the extra sources the renderer may connect to
 * (the headless host's own ws:// origin); nothing else leaves the machine.
 */
export function rendererCsp(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    `connect-src 'self'${connect.map((c) => ` ${c}`).join('')}`,
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
