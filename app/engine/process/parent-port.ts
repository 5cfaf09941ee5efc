/**
 * Worker side of the worker channel: Electron utility processes get `process.parentPort` (MessagePort-like),
 * Node children forked with IPC get `process.send`. Detected at run time, so the engine never imports electron.
 */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
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
    return {
      send: (m) => {
        if (process.connected) process.send!(m);
      },
      onMessage: (l) => process.on('message', (m) => l(m)),
    };
  }
  throw new Error('This worker must be started by the Watchroom engine (no parent channel).');
}
