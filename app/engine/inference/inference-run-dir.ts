import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newInferenceEndpoint } from './inference-endpoint';

/** The execution provider setting: `auto` picks the platform's accelerator, CPU is always the fallback. */
export type ExecutionProviderSetting = 'auto' | 'cuda' | 'dml' | 'coreml' | 'cpu';

/** Unix socket paths must stay under ~108 bytes. */
const MAX_SOCKET_PATH = 100;

/**
 * A fresh endpoint for the inference worker: `<runDir>/inference-<random>.sock` on Unix (the generic temp-dir
 * endpoint when that path is too long for a socket or the folder cannot be made), `\\.\pipe\watchroom-<random>`
 * on Windows.
 */
export function runDirEndpoint(runDir: string): string {
  if (process.platform === 'win32') return newInferenceEndpoint();
  const p = path.join(runDir, `inference-${crypto.randomBytes(4).toString('hex')}.sock`);
  if (Buffer.byteLength(p) > MAX_SOCKET_PATH) return newInferenceEndpoint();
  try {
    fs.mkdirSync(runDir, { recursive: true, mode: 0o700 });
    return p;
  } catch {
    return newInferenceEndpoint();
  }
}

/** Sockets left in the run dir by a previous run that did not stop cleanly (one engine per data dir). */
export function removeStaleSockets(dir: string): void {
  try {
    for (const f of fs.readdirSync(dir)) if (/^inference-[0-9a-f]+\.sock$/.test(f)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {}
}

/** The worker's `--ep` list for a setting: the accelerator first, CPU always last. */
export function providerList(setting: ExecutionProviderSetting, platform: NodeJS.Platform = process.platform): string {
  if (setting === 'auto') return platform === 'win32' ? 'dml,cpu' : platform === 'darwin' ? 'coreml,cpu' : 'cuda,cpu';
  return setting === 'cpu' ? 'cpu' : `${setting},cpu`;
}
