import net from 'node:net';
import type { FrameForInference, InferenceClient, InferenceReply } from './inference-api';
import { encodeMessage, WireDecoder } from './frame-wire';
import { FrameRingWriter, frameRingDir } from './frame-ring';

/** Ring slots per connection: more than the frames a camera keeps in flight, so a free slot is the rule. */
const RING_SLOTS = 8;

/**
 * Connects to the inference worker at `endpoint` (a Unix socket path or a Windows named pipe). Frames go out
 * through a frame ring in RAM where there is one (frame-ring.ts), else as raw bytes beside their JSON header;
 * replies are matched by request id. A lost connection answers every pending request with `error`; the next
 * detect() reconnects (with a new ring).
 */
export function createInferenceClient(endpoint: string, opts: { frameRing?: boolean } = {}): InferenceClient {
  let socket: net.Socket | null = null;
  let nextId = 1;
  let closed = false;
  const ringDir = opts.frameRing === false ? null : frameRingDir();
  /** The current connection's ring (null: none yet, or frames go inline). */
  let ring: FrameRingWriter | null = null;
  /** The worker could not use a ring: inline from now on. */
  let ringRefused = false;
  const pending = new Map<number, { seq: number; resolve: (r: InferenceReply) => void; slot: { ring: FrameRingWriter; slot: number } | null }>();

  const failAll = (message: string) => {
    for (const [, p] of pending) p.resolve({ status: 'error', seq: p.seq, message });
    pending.clear();
    ring?.close();
    ring = null;
  };

  const toRing = (data: Uint8Array): { ring: FrameRingWriter; slot: number } | null => {
    if (!ringDir || ringRefused) return null;
    if (!ring) {
      ring = FrameRingWriter.create(ringDir, data.length, RING_SLOTS);
      if (!ring) ringRefused = true;
    }
    let slot: number | null = null;
    try {
      slot = ring?.write(data) ?? null;
    } catch {
      // e.g. /dev/shm full: this frame and the next go inline (frames already sent were read, or fail alone)
      ringRefused = true;
      ring?.close();
      ring = null;
    }
    return ring && slot !== null ? { ring, slot } : null;
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
        const reply = m.header.reply as InferenceReply;
        if (p.slot) {
          // the worker read the slot before answering: free again (and it has the file open: the name can go)
          p.slot.ring.release(p.slot.slot);
          if (reply?.status === 'error' && /frame ring/.test(reply.message)) {
            // inline from now on; the ring goes (its name too: nothing of it is left in /dev/shm)
            ringRefused = true;
            if (ring === p.slot.ring) ring = null;
            p.slot.ring.close();
          } else p.slot.ring.unlink();
        }
        p.resolve(reply);
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
      const slot = toRing(data);
      const parts = slot ? encodeMessage({ type: 'detect', id, ...rest, ring: { path: slot.ring.path, slot: slot.slot, bytes: data.length } }) : encodeMessage({ type: 'detect', id, ...rest }, data);
      return new Promise((resolve) => {
        pending.set(id, { seq: frame.seq, resolve, slot });
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
