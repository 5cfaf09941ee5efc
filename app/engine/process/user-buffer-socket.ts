import net from 'node:net';

/**
 * Reading big binary streams (raw frames: 519 KB each for a 416x416 model) through one reused buffer.
 *
 * A stream's 'data' event hands over a fresh buffer per read (at most 64 KB), so every frame costs a handful of new
 * allocations, their page faults and the GC that collects them. Measured on this project's 2-core machine,
 * 519 KB frames over a Unix socket: about 1.3 ms of receiver CPU per frame with 'data' events, 0.2 ms with Node's
 * `onread` option (one 1 MB buffer, filled by every read). A chunk handed to `onChunk` is a view into that buffer:
 * it is only valid during the call, so the consumer copies what it keeps (RawFrameSplitter and WireDecoder do).
 */
export type ChunkSink = (chunk: Buffer) => void;

/**
 * A reader that says where the next bytes should land, so that the kernel copies them straight into their final
 * buffer (a frame's own buffer) instead of into a shared read buffer they are then copied out of: one copy of
 * 519 KB per frame less. `target()` is never empty; `advance(n)` says that its first `n` bytes were filled.
 * `push(chunk)` is the same reader fed from chunks, for the path where no user buffer can be used.
 */
export interface DirectSink {
  target(): Uint8Array;
  advance(n: number): void;
  push(chunk: Buffer): void;
}

export const READ_BUFFER_BYTES = 1 << 20;

const isDirect = (sink: ChunkSink | DirectSink): sink is DirectSink => typeof sink !== 'function';

const onread = (sink: ChunkSink | DirectSink, bufferBytes: number) => {
  if (isDirect(sink)) {
    // Node asks for the next read's buffer after every read (and once before the first).
    return { buffer: () => sink.target(), callback: (n: number) => (sink.advance(n), true) };
  }
  const buffer = Buffer.allocUnsafe(bufferBytes);
  return {
    buffer,
    callback: (n: number, buf: Uint8Array) => {
      sink((buf as Buffer).subarray(0, n));
      return true;
    },
  };
};

/** The stream handle of an accepted socket (Node keeps it in `_handle`; `net.Socket({ handle })` adopts one). */
interface StreamHandle {
  useUserBuffer?: unknown;
}

/**
 * Reads a socket Node created for us (one a server accepted, or a child process's stdio pipe) through one reused
 * buffer (a `ChunkSink`), or straight into the buffers a `DirectSink` names. Neither `net.Server` nor `spawn()` takes
 * Node's `onread` option, so the socket's stream handle is moved into a new `net.Socket` created with `onread`; the
 * husk left behind is destroyed when the new socket closes (a server counts it as a connection, a ChildProcess waits
 * for it before 'close'). Call it in the same tick the socket was handed over, before any data was read (a server
 * should listen with `pauseOnConnect: true`). Where a runtime does not expose the handle, the socket is read with
 * 'data' events instead: slower, same bytes. `userBuffer` says which path was taken. On the fast path
 * `socket.pause()` stops reading the descriptor at once (a plain stream goes on reading into its buffer up to its
 * high-water mark), so bytes wait in the kernel until `resume()`.
 */
export function adoptWithUserBuffer(accepted: net.Socket, sink: ChunkSink | DirectSink, bufferBytes = READ_BUFFER_BYTES): { socket: net.Socket; userBuffer: boolean } {
  const holder = accepted as unknown as { _handle?: StreamHandle | null };
  const handle = holder._handle;
  if (!handle || typeof handle.useUserBuffer !== 'function') {
    accepted.on('data', isDirect(sink) ? (d: Buffer) => sink.push(d) : (d: Buffer) => sink(d));
    accepted.resume();
    return { socket: accepted, userBuffer: false };
  }
  holder._handle = null;
  const socket = new net.Socket({ handle, onread: onread(sink, bufferBytes) } as net.SocketConstructorOpts);
  // The husk still counts as one of the server's connections until it is destroyed.
  socket.once('close', () => accepted.destroy());
  return { socket, userBuffer: true };
}
