import { maskUrlCredentials } from '../../shared/url-masking';

/** Field names whose values are never written, whatever their content. */
const SECRET_KEY_RE = /pass(word)?|token|secret|credential|api[-_]?key|authorization|cookie/i;

export const REDACTED = '[redacted]';

/** Masks the credentials of every URL inside a string (password and credential query values: maskUrlCredentials). */
export function redactString(s: string): string {
  return maskUrlCredentials(s);
}

/** Deep copy of a log value with secret fields removed and URL credentials masked; bounded in depth. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (depth > 6) return '[depth]';
  if (value instanceof Error) return { name: value.name, message: redactString(value.message), stack: value.stack ? redactString(value.stack) : undefined };
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactValue(v, depth + 1));
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY_RE.test(k) ? REDACTED : redactValue(v, depth + 1);
  return out;
}
