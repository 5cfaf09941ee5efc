import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/**
 * A fresh local endpoint for the inference worker: a Unix socket in the run dir (XDG_RUNTIME_DIR, else the temp
 * dir; paths are kept short for the 108-byte limit) or, on Windows, a named pipe `\\.\pipe\watchroom-<random>`.
 */
export function newInferenceEndpoint(): string {
  const id = crypto.randomBytes(6).toString('hex');
  if (process.platform === 'win32') return `\\\\.\\pipe\\watchroom-${id}`;
  const dir = process.env.XDG_RUNTIME_DIR && process.env.XDG_RUNTIME_DIR.length < 60 ? process.env.XDG_RUNTIME_DIR : os.tmpdir();
  return path.join(dir, `watchroom-inf-${id}.sock`);
}
