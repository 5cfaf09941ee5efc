import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the cookie that carries the access token after the first `?token=` visit. */
export const TOKEN_COOKIE = 'watchroom_token';

/** A fresh random token per run (256 bits, URL-safe). */
export const newToken = (): string => crypto.randomBytes(32).toString('base64url');

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

/** Where the request presented the token: `query` (then the cookie should be set), `cookie`, or null. */
export function presentedToken(req: IncomingMessage, expected: string): 'query' | 'cookie' | null {
  const url = new URL(req.url ?? '/', 'http://x');
  if (tokenMatches(expected, url.searchParams.get('token'))) return 'query';
  if (tokenMatches(expected, cookieValue(req.headers.cookie, TOKEN_COOKIE))) return 'cookie';
  return null;
}

/** The token cookie: HttpOnly, SameSite=Strict, and Secure when the host serves TLS (never sent over plain HTTP then). */
export const tokenCookie = (token: string, secure = false): string => `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;

/** Whether an address only reaches this machine. */
export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** The browser origins of this host: the bound address and, for loopback, both loopback names. */
export function allowedOrigins(host: string, port: number, scheme: 'http' | 'https' = 'http'): Set<string> {
  const names = new Set([host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]);
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1') ['127.0.0.1', 'localhost', '[::1]'].forEach((n) => names.add(n));
  return new Set([...names].map((n) => `${scheme}://${n}:${port}`));
}
