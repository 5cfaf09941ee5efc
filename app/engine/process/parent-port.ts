import { BINARY_FD_ENV, openBinaryWriter } from './binary-channel';

/**
 * Worker side of the worker channel: Electron utility processes get `process.parentPort` (MessagePort-like),
 * Node children forked with IPC get `process.send`. Detected at run time, so the engine never imports electron.
 */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /**
   * Sends a big message over the binary side channel when the host opened one (binary-channel.ts): `body` travels
   * as raw bytes and arrives under `field`. Returns false when the message was dropped because the host is not
   * keeping up. Undefined when there is no such channel: use `send`.
   */
  sendWithBody?(message: Record<string, unknown>, field: string, body: Uint8Array): boolean;
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function getParentChannel(): ParentChannel {
  const pp = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (pp) {
    return {
      send: (m) => pp.postMessage(m),
      onMessage: (l) => pp.on('message', (e) => l(e.data)),
    };
  }
  if (typeof process.send === 'function') {
    const fd = process.env[BINARY_FD_ENV];
    const binary = fd ? openBinaryWriter(Number(fd)) : null;
    return {
      send: (m) => {
        if (process.connected) process.send!(m);
      },
      onMessage: (l) => process.on('message', (m) => l(m)),
      ...(binary ? { sendWithBody: (m: Record<string, unknown>, field: string, body: Uint8Array) => binary.send(m, field, body) } : {}),
    };
  }
  throw new Error('This worker must be started by the Watchroom engine (no parent channel).');
}
