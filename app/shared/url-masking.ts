/**
 * Credentials in URLs: THE masking used wherever a URL can leave the engine (camera and sink lists, logs, audit
 * rows, ffmpeg output). Pure (no Node, no DOM), so the engine, both hosts and the renderer share it.
 *
 * A URL is split the way a browser's URL parser splits it, not with a regular expression over the whole text:
 *   scheme://[user[:password]@]host[:port][/path][?query][#fragment]
 * - the authority ends at the first `/`, `?` or `#`; the user info ends at the LAST `@` of the authority, so
 *   `rtsp://admin:p@ss@host` has the password `p@ss` (a browser percent-encodes the inner `@`);
 * - the password may hold spaces (`rtsp://admin:pass word1@host/s`);
 * - query parameters whose name says credential (`user`, `pwd`, `token`, `key` …, see isCredentialQueryKey)
 *   are masked too: `http://cam/video.cgi?user=***&pwd=***&resolution=640x480`.
 * The user name of the user info stays visible (officers need to see which camera account is used); the
 * password becomes MASK.
 */

/** What a masked secret reads as. An edit that sends it back keeps the saved value (restoreMaskedCredentials). */
export const MASK = '***';

const CREDENTIAL_KEYS = new Set([
  'user', 'username', 'usr', 'login', 'pwd', 'pw', 'pass', 'passwd', 'password', 'passphrase',
  'token', 'key', 'secret', 'auth', 'apikey', 'sig', 'signature', 'session', 'sid', 'credential', 'credentials',
]);

/**
 * Whether a query parameter carries a credential: the names above, or any name containing password, passwd,
 * token, secret or apikey (`access_token`, `client_secret`, `api-key`, `X-Auth-Token` …). Case-insensitive.
 */
export function isCredentialQueryKey(rawKey: string): boolean {
  let k = rawKey;
  try {
    k = decodeURIComponent(rawKey.replace(/\+/g, ' '));
  } catch {}
  k = k.trim().toLowerCase();
  if (CREDENTIAL_KEYS.has(k)) return true;
  const flat = k.replace(/[-_.\s]/g, '');
  return CREDENTIAL_KEYS.has(flat) || /pass(word|wd)|token|secret|apikey|authkey|accesskey/.test(flat);
}

/** One query parameter as written (nothing decoded), `value` undefined when the parameter has no `=`. */
interface QueryParam {
  key: string;
  value?: string;
}

/** A URL cut into its written parts (nothing decoded or normalised). */
export interface UrlParts {
  /** `rtsp://` (as written). */
  scheme: string;
  /** User info present (`…@`)? */
  hasUserInfo: boolean;
  user: string;
  /** undefined when the user info has no `:`. */
  password?: string;
  /** host[:port] */
  host: string;
  path: string;
  /** Query parameters in order; undefined when there is no `?`. */
  query?: QueryParam[];
  /** Query separator used (`&` or `;`). */
  querySep: string;
  /** `#…` or ''. */
  fragment: string;
}

const WHOLE_RE = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/is;

/** Splits a whole URL into its parts; null when it is not `scheme://…`. Never throws. */
export function splitUrl(url: string): UrlParts | null {
  const m = WHOLE_RE.exec(url);
  if (!m) return null;
  const authority = m[2]!;
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : null;
  const colon = userInfo === null ? -1 : userInfo.indexOf(':');
  const rawQuery = m[4];
  const querySep = rawQuery !== undefined && !rawQuery.includes('&') && rawQuery.includes(';') ? ';' : '&';
  return {
    scheme: m[1]!,
    hasUserInfo: userInfo !== null,
    user: userInfo === null ? '' : colon >= 0 ? userInfo.slice(0, colon) : userInfo,
    ...(userInfo !== null && colon >= 0 ? { password: userInfo.slice(colon + 1) } : {}),
    host: at >= 0 ? authority.slice(at + 1) : authority,
    path: m[3]!,
    ...(rawQuery !== undefined
      ? {
          query: rawQuery.split(querySep).map((p) => {
            const eq = p.indexOf('=');
            return eq >= 0 ? { key: p.slice(0, eq), value: p.slice(eq + 1) } : { key: p };
          }),
        }
      : {}),
    querySep,
    fragment: m[5] ?? '',
  };
}

/** Puts parts back together (the inverse of splitUrl). */
export function joinUrl(p: UrlParts): string {
  const userInfo = p.hasUserInfo ? `${p.user}${p.password !== undefined ? `:${p.password}` : ''}@` : '';
  const query = p.query ? `?${p.query.map((q) => (q.value !== undefined ? `${q.key}=${q.value}` : q.key)).join(p.querySep)}` : '';
  return `${p.scheme}${userInfo}${p.host}${p.path}${query}${p.fragment}`;
}

/** The secrets written in a URL: its password and the values of its credential query parameters (as written). */
export function urlSecrets(url: string): string[] {
  const p = splitUrl(url.trim());
  if (!p) return [];
  const out: string[] = [];
  if (p.password) out.push(p.password);
  for (const q of p.query ?? []) if (q.value && isCredentialQueryKey(q.key)) out.push(q.value);
  return out;
}

function maskWholeUrl(url: string): string {
  const p = splitUrl(url);
  if (!p) return url;
  const masked: UrlParts = {
    ...p,
    ...(p.password !== undefined ? { password: MASK } : {}),
    ...(p.query ? { query: p.query.map((q) => (q.value && isCredentialQueryKey(q.key) ? { key: q.key, value: MASK } : q)) } : {}),
  };
  return joinUrl(masked);
}

const START_RE = /[a-z][a-z0-9+.-]*:\/\//gi;
/** Characters that end an authority candidate inside free text. */
const AUTHORITY_STOP = new Set(['/', '?', '#', '\r', '\n', '"', "'", '<', '>', '`']);
const REST_STOP_RE = /[\s"'<>`]/;

/** Where the URL starting at `start` (its `scheme://` ends at `afterScheme`) ends inside free text. */
function urlEnd(text: string, afterScheme: number): number {
  const max = Math.min(text.length, afterScheme + 2048);
  let i = afterScheme;
  while (i < max && !AUTHORITY_STOP.has(text[i]!)) i++;
  // The user info may hold spaces; the host (after the last @) cannot: the URL ends at its first whitespace.
  const candidate = text.slice(afterScheme, i);
  const hostStart = candidate.lastIndexOf('@') + 1;
  const ws = candidate.slice(hostStart).search(/\s/);
  if (ws >= 0) return afterScheme + hostStart + ws;
  let j = i;
  while (j < text.length && !REST_STOP_RE.test(text[j]!)) j++;
  return j;
}

/**
 * Masks the credentials of every URL in a text: a whole source (`rtsp://admin:p@ss@host/s` →
 * `rtsp://admin:***@host/s`), a log message or ffmpeg's output quoting one. The password of the user info and
 * credential-like query values become `***`; everything else is kept as written. Inside free text a URL's user
 * info may hold spaces (so `…pass word1@host…` is masked whole); when in doubt, more is masked, never less.
 * Pure, never throws.
 */
export function maskUrlCredentials(text: string): string {
  if (!text.includes('://')) return text;
  let out = '';
  let last = 0;
  START_RE.lastIndex = 0;
  for (let m = START_RE.exec(text); m; m = START_RE.exec(text)) {
    if (m.index < last) continue;
    const end = urlEnd(text, m.index + m[0].length);
    out += text.slice(last, m.index) + maskWholeUrl(text.slice(m.index, end));
    last = end;
    START_RE.lastIndex = Math.max(end, m.index + m[0].length);
  }
  return out + text.slice(last);
}

/** Why masked credentials could not be restored. */
export type RestoreRefusal = 'no-saved' | 'changed';

/**
 * An edited URL that sends `***` back (password or a credential query value) gets the saved value again. Only
 * when scheme, user name and host:port are unchanged, so an edit can never send a saved secret to another
 * address. Returns the URL to save, or why not.
 */
export function restoreMaskedCredentials(edited: string, saved: string): { ok: true; url: string } | { ok: false; why: RestoreRefusal } {
  const e = splitUrl(edited.trim());
  if (!e || !hasMask(e)) return { ok: true, url: edited };
  const s = splitUrl(saved.trim());
  if (!s) return { ok: false, why: 'no-saved' };
  const same = e.scheme.toLowerCase() === s.scheme.toLowerCase() && e.user === s.user && e.host.toLowerCase() === s.host.toLowerCase();
  if (!same) return { ok: false, why: 'changed' };
  const next: UrlParts = { ...e };
  if (e.password === MASK) {
    if (s.password === undefined) return { ok: false, why: 'no-saved' };
    next.password = s.password;
  }
  if (e.query) {
    const query: QueryParam[] = [];
    for (const q of e.query) {
      if (q.value !== MASK || !isCredentialQueryKey(q.key)) {
        query.push(q);
        continue;
      }
      const kept = s.query?.find((sq) => sq.key.toLowerCase() === q.key.toLowerCase() && sq.value !== undefined);
      if (!kept) return { ok: false, why: 'no-saved' };
      query.push({ key: q.key, value: kept.value });
    }
    next.query = query;
  }
  return { ok: true, url: joinUrl(next) };
}

/** Whether a URL carries the MASK placeholder where a secret goes. */
export function hasMaskedCredentials(url: string): boolean {
  const p = splitUrl(url.trim());
  return p ? hasMask(p) : false;
}

const hasMask = (p: UrlParts): boolean => p.password === MASK || (p.query ?? []).some((q) => q.value === MASK && isCredentialQueryKey(q.key));
