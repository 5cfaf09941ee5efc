import { spawn } from 'node:child_process';

/** Whether opening a browser makes sense here: not in CI, and on Linux only with a display. */
export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.CI) return false;
  if (platform === 'linux') return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  return true;
}

/** Opens a URL in the default browser, detached; failures are only reported, never thrown. */
export function openBrowser(url: string, onError: (err: Error) => void = () => {}): void {
  const [cmd, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', onError);
    child.unref();
  } catch (err) {
    onError(err as Error);
  }
}
