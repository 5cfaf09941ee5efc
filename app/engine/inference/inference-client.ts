import net from 'node:net';
import type { FrameForInference, InferenceClient, InferenceReply } from './inference-api';
import { encodeMessage, WireDecoder } from './frame-wire';

/**
 * Connects to the inference worker at `endpoint` (a Unix socket path or a Windows named pipe). Frames go out as
 * raw bytes beside a JSON header; replies are matched by request id. A lost connection answers every pending
 * request with `error`; the next detect() reconnects.
 */
export function createInferenceClient(endpoint: string): InferenceClient {
  let socket: net.Socket | null = null;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, { seq: number; resolve: (r: InferenceReply) => void }>();

  const failAll = (message: string) => {
    for (const [, p] of pending) p.resolve({ status: 'error', seq: p.seq, message });
    pending.clear();
  };

  const connect = (): net.Socket => {
    const s = net.createConnection(endpoint);
    const decoder = new WireDecoder();
    s.on('data', (chunk: Buffer) => {
      let msgs;
      try {
        msgs = decoder.push(chunk);
      } catch (e) {
        s.destroy(e as Error);
        return;
      }
      for (const m of msgs) {
        const id = m.header.id;
        if (typeof id !== 'number') continue;
        const p = pending.get(id);
        if (!p) continue;
        pending.delete(id);
        p.resolve(m.header.reply as InferenceReply);
      }
    });
    s.on('error', () => undefined);
    s.on('close', () => {
      if (socket === s) socket = null;
      failAll('the inference worker connection closed');
    });
    return s;
  };

  return {
    detect(frame: FrameForInference): Promise<InferenceReply> {
      if (closed) return Promise.resolve({ status: 'error', seq: frame.seq, message: 'inference client closed' });
      if (!socket || socket.destroyed) socket = connect();
      const id = nextId++;
      const { data, ...rest } = frame;
      const parts = encodeMessage({ type: 'detect', id, ...rest }, data);
      return new Promise((resolve) => {
        pending.set(id, { seq: frame.seq, resolve });
        // prefix, header and body leave in one writev (three writes would be three syscalls)
        const s = socket!;
        s.cork();
        for (const p of parts) s.write(p);
        s.uncork();
      });
    },
    close(): void {
      closed = true;
      socket?.destroy();
      socket = null;
      failAll('inference client closed');
    },
  };
}
