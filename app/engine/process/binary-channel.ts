import net from 'node:net';
import { encodeMessage, WireDecoder, type WireMessage } from '../inference/frame-wire';
import { adoptWithUserBuffer } from './user-buffer-socket';

/**
 * The binary side channel from a worker to its host (see WorkerStartOptions.binaryMessages): big messages
 * (camera frames with their JPEG) as raw bytes beside a JSON header, framed as on the inference socket
 * (frame-wire.ts). The structured clone of Node's IPC copies a JPEG several times and costs about 5 us per KB on
 * each side (measured here: 150 KB frames, 0.9 ms to send and 0.6 ms to receive).
 *
 * Wire header: `{ m: <the message without its body>, f: <the body's field name> }`; the host puts the body back
 * under `f` as a Buffer, so listeners get the message object the worker would otherwise have sent over IPC.
 */
export const BINARY_FD_ENV = 'WATCHROOM_BINARY_FD';
/** The worker's fd for the channel (0-2 are stdio, 3 is Node's IPC channel). */
export const BINARY_FD = 4;
/** Bytes the worker lets wait for the host before it drops messages (live frames: the next one replaces them). */
export const BINARY_BACKLOG_LIMIT = 8 * 1024 * 1024;

export interface BinaryWriter {
  /** False when the message was dropped (the host is not keeping up, or the channel is closed). */
  send(message: Record<string, unknown>, field: string, body: Uint8Array): boolean;
  /** Messages dropped so far. */
  readonly dropped: number;
}

/** Worker side: the channel on `fd`, or null when it cannot be opened. */
export function openBinaryWriter(fd: number): BinaryWriter | null {
  try {
    return binaryWriterOn(new net.Socket({ fd, readable: false, writable: true }));
  } catch {
    return null;
  }
}

/** A writer on a connected socket: never buffers more than about BINARY_BACKLOG_LIMIT for a slow reader. */
export function binaryWriterOn(socket: net.Socket): BinaryWriter {
  let closed = false;
  let dropped = 0;
  socket.on('error', () => (closed = true));
  socket.on('close', () => (closed = true));
  return {
    send(message, field, body) {
      if (closed || socket.writableLength > BINARY_BACKLOG_LIMIT) {
        dropped++;
        return false;
      }
      socket.cork();
      for (const part of encodeMessage({ m: message, f: field }, body)) socket.write(part);
      socket.uncork();
      return true;
    },
    get dropped() {
      return dropped;
    },
  };
}

/** Host side: reads the worker's channel and hands each message, body restored, to `onMessage`. */
export function readBinaryMessages(pipe: net.Socket, onMessage: (message: unknown) => void, onError: (e: Error) => void): void {
  const decoder = new WireDecoder();
  const deliver = (read: () => WireMessage[]) => {
    let msgs;
    try {
      msgs = read();
    } catch (e) {
      onError(e as Error);
      socket.destroy();
      return;
    }
    for (const { header, body } of msgs) {
      const m = header.m;
      const f = header.f;
      if (!m || typeof m !== 'object' || typeof f !== 'string') continue;
      (m as Record<string, unknown>)[f] = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      onMessage(m);
    }
  };
  // each body (a JPEG) is read straight into its own buffer
  const { socket } = adoptWithUserBuffer(pipe, decoder.sink(deliver));
  socket.on('error', () => undefined);
}
