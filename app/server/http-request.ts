import type { IncomingMessage } from 'node:http';
import { z } from 'zod';

/**
 * The schema of the headless host's HTTP entry point: it serves the built renderer and report downloads by ticket, so a
 * request is a GET or HEAD of a printable path (at most 1 KiB) whose only query parameter is the access token,
 * from no Origin or the host's own. Anything else is refused with a status and a plain message, changing nothing.
 */
export const HttpRequestSchema = z.object({
  method: z.enum(['GET', 'HEAD'], { message: 'Method not allowed.' }),
  path: z.string().max(1024, 'Address too long.').regex(/^\/[\x21-\x7e]*$/, 'Malformed address.'),
  query: z.array(z.string()).refine((keys) => keys.every((k) => k === 'token'), 'Unexpected query parameter.'),
});

export interface HttpRefusal {
  status: number;
  message: string;
}

/** `originAllowed`: the host's own origins (see access.ts). */
export function checkHttpRequest(req: IncomingMessage, originAllowed: (origin: string) => boolean): HttpRefusal | null {
  const raw = req.url ?? '/';
  let url: URL;
  try {
    if (!raw.startsWith('/')) throw new Error('absolute');
    url = new URL(raw, 'http://x');
  } catch {
    return { status: 400, message: 'Malformed address.' };
  }
  const parsed = HttpRequestSchema.safeParse({ method: req.method, path: url.pathname, query: [...url.searchParams.keys()] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { status: issue.path[0] === 'method' ? 405 : 400, message: issue.message };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !originAllowed(origin)) return { status: 403, message: 'Forbidden: wrong origin.' };
  return null;
}
