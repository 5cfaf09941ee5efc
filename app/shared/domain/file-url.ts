/**
 * `file://` camera sources. Pure (shared by the engine, both hosts and the renderer), so a source is refused when
 * it is saved, with the same rules the camera worker applies when it turns the URL into a path for ffmpeg. Node's
 * `fileURLToPath` throws on a host other than localhost (POSIX) and on an encoded slash; a stored source that
 * threw there used to crash the camera worker at every restart.
 */

/**
 * Checks a `file://` URL and returns its decoded path (`/videos/door.mp4`, or `/C:/videos/door.mp4` for a Windows
 * drive). Throws an Error with an officer-readable message when it does not name a file on this computer.
 */
export function checkFileUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error('The file URL is malformed.');
  }
  if (u.protocol !== 'file:') throw new Error('The file URL must start with file://.');
  if (u.hostname && u.hostname.toLowerCase() !== 'localhost') {
    throw new Error(`A file URL must name a file on this computer (file:///videos/door.mp4), not on "${u.hostname.slice(0, 64)}". For a shared folder, enter its path instead (\\\\server\\share\\door.mp4 on Windows).`);
  }
  if (u.username || u.password || u.port) throw new Error('The file URL is malformed.');
  if (/%2f|%5c/i.test(u.pathname)) throw new Error('The file URL contains an encoded slash (%2F or %5C): write the path with plain slashes.');
  let p: string;
  try {
    p = decodeURIComponent(u.pathname);
  } catch {
    throw new Error('The file URL is malformed.');
  }
  if (p.includes('\0')) throw new Error('The source contains control characters.');
  if (!p || p === '/' || p.endsWith('/')) throw new Error('The file URL names no file.');
  return p;
}
