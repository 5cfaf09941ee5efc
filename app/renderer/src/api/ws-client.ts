import type { WatchroomApi } from '../../../shared/api';
import type { LiveFrame } from '../../../shared/domain/detection';
import { consoleErrorLog, Emitter, KeyedEmitter } from '../../../shared/events/emitter';
import type { InvokeChannel, InvokeInput, InvokeOutput, PushChannel, PushPayload } from '../../../shared/ipc/contracts';
import { decodeFrame } from '../../../shared/ipc/frame-codec';
import type { ClientMessage, ServerMessage } from '../../../shared/ipc/ws-protocol';
import { t } from '../i18n/en';
import { ApiError } from './api-error';
import type { ConnectionAware, ConnectionStatus } from './connection-status';

/** The part of the browser WebSocket the client uses (a fake implements it in tests). */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** Timer functions, injectable so tests run on a fake clock. */
export interface ClientTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface WsClientOptions {
  /** Full ws(s):// URL including `?token=`. */
  url: string;
  /** Opens a socket (browser: `(u) => new WebSocket(u)`). */
  createSocket: (url: string) => SocketLike;
  /** Per-request timeout in ms (default 15 000). */
  requestTimeoutMs?: number;
  /** First reconnect delay in ms (default 500), doubled per failed attempt up to maxBackoffMs. */
  initialBackoffMs?: number;
  /** Reconnect delay cap in ms (default 10 000). */
  maxBackoffMs?: number;
  timers?: ClientTimers;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: unknown;
  /** Serialized request, kept until it is written to an open socket. */
  wire: string | null;
}

const OPEN = 1;
const defaultTimers: ClientTimers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** Lifecycle of the client itself. */
type Life = { kind: 'running'; socket: SocketLike | null; retryTimer: unknown } | { kind: 'disposed' };

/**
 * WatchroomApi over the headless host's WebSocket (ws-protocol.ts): request/response by id with timeouts,
 * push listeners, binary frames decoded and dispatched per camera, reconnect with exponential backoff, and
 * frame subscriptions replayed after a reconnect. Requests made while disconnected are queued until the link
 * is back (or their timeout fires); requests in flight when the link drops fail with code `disconnected`.
 */
export class WsApiClient implements WatchroomApi, ConnectionAware {
  private readonly timers: ClientTimers;
  private readonly requestTimeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private nextId = 1;
  /** Failed or dropped connections since the last successful open. */
  private failures = 0;
  private life: Life = { kind: 'running', socket: null, retryTimer: null };
  private current: ConnectionStatus = { state: 'connecting', attempt: 1 };
  private readonly pending = new Map<number, Pending>();
  private readonly pushListeners = new KeyedEmitter<string, [payload: unknown]>({ name: 'push', log: consoleErrorLog });
  /** The server sends a camera's frames while someone here watches it. */
  private readonly frameListeners = new KeyedEmitter<string, [frame: LiveFrame]>({
    name: 'frame',
    log: consoleErrorLog,
    onFirstListener: (cameraId) => this.sendControl({ t: 'frames', cameraId, on: true }),
    onLastListener: (cameraId) => this.sendControl({ t: 'frames', cameraId, on: false }),
  });
  private readonly statusListeners = new Emitter<[status: ConnectionStatus]>({ name: 'connection status', log: consoleErrorLog });

  constructor(private readonly opts: WsClientOptions) {
    this.timers = opts.timers ?? defaultTimers;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.initialBackoffMs = opts.initialBackoffMs ?? 500;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.connect();
  }

  status(): ConnectionStatus {
    return this.current;
  }

  onStatus(listener: (s: ConnectionStatus) => void): () => void {
    const sub = this.statusListeners.on(listener);
    return () => sub.dispose();
  }

  invoke<C extends InvokeChannel>(channel: C, ...input: InvokeInput<C> extends void | undefined ? [] : [InvokeInput<C>]): Promise<InvokeOutput<C>> {
    if (this.life.kind === 'disposed') return Promise.reject(new ApiError('disconnected', t.errors.closed));
    const id = this.nextId++;
    const msg: ClientMessage = input.length ? { t: 'invoke', id, channel, input: input[0] } : { t: 'invoke', id, channel };
    return new Promise<InvokeOutput<C>>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new ApiError('timeout', t.errors.timeout(channel)));
      }, this.requestTimeoutMs);
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, timer, wire: JSON.stringify(msg) };
      this.pending.set(id, p);
      this.flush();
    });
  }

  on<E extends PushChannel>(event: E, listener: (payload: PushPayload<E>) => void): () => void {
    const sub = this.pushListeners.on(event, listener as (payload: unknown) => void);
    return () => sub.dispose();
  }

  subscribeFrames(cameraId: string, listener: (frame: LiveFrame) => void): () => void {
    const sub = this.frameListeners.on(cameraId, listener);
    return () => sub.dispose();
  }

  /** Closes the socket for good, rejects pending requests and stops reconnecting. */
  dispose(): void {
    if (this.life.kind === 'disposed') return;
    const { socket, retryTimer } = this.life;
    this.life = { kind: 'disposed' };
    if (retryTimer !== null) this.timers.clearTimeout(retryTimer);
    if (socket) {
      socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
      socket.close(1000, 'disposed');
    }
    this.failPending(t.errors.closed, true);
  }

  private connect(): void {
    if (this.life.kind === 'disposed') return;
    if (this.failures > 0) this.setStatus({ state: 'connecting', attempt: this.failures + 1 });
    let socket: SocketLike;
    try {
      socket = this.opts.createSocket(this.opts.url);
    } catch (e) {
      this.scheduleReconnect(e instanceof Error ? e.message : String(e));
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.life = { kind: 'running', socket, retryTimer: null };
    socket.onopen = () => {
      this.failures = 0;
      this.setStatus({ state: 'open', since: this.timers.now() });
      for (const cameraId of this.frameListeners.keys()) this.sendControl({ t: 'frames', cameraId, on: true });
      this.flush();
    };
    socket.onmessage = (ev) => this.handleMessage(ev.data);
    socket.onerror = () => {
      /* onclose follows and handles it */
    };
    socket.onclose = (ev) => {
      if (this.life.kind === 'disposed' || this.life.socket !== socket) return;
      this.life = { kind: 'running', socket: null, retryTimer: null };
      this.failPending(t.errors.disconnected, false);
      this.scheduleReconnect(ev.reason || `closed (${ev.code ?? 'no code'})`);
    };
  }

  private scheduleReconnect(reason: string): void {
    if (this.life.kind === 'disposed') return;
    this.failures++;
    const delay = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.min(30, this.failures - 1));
    const retryTimer = this.timers.setTimeout(() => this.connect(), delay);
    this.life = { kind: 'running', socket: null, retryTimer };
    this.setStatus({ state: 'reconnecting', attempt: this.failures, retryAt: this.timers.now() + delay, reason });
  }

  private handleMessage(data: unknown): void {
    if (typeof data === 'string') {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(data) as ServerMessage;
      } catch {
        return;
      }
      if (msg.t === 'result') {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        this.timers.clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(ApiError.from(msg.error));
      } else if (msg.t === 'push') {
        this.pushListeners.emit(msg.event, msg.payload);
      }
      return;
    }
    const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
    if (!bytes) return;
    let frame: LiveFrame;
    try {
      frame = decodeFrame(bytes);
    } catch {
      return;
    }
    this.frameListeners.emit(frame.cameraId, frame);
  }

  private openSocket(): SocketLike | null {
    return this.life.kind === 'running' && this.life.socket && this.life.socket.readyState === OPEN ? this.life.socket : null;
  }

  private flush(): void {
    const s = this.openSocket();
    if (!s) return;
    for (const p of this.pending.values()) {
      if (p.wire === null) continue;
      s.send(p.wire);
      p.wire = null;
    }
  }

  private sendControl(msg: ClientMessage): void {
    this.openSocket()?.send(JSON.stringify(msg));
  }

  /** Rejects requests already sent (their answer is lost); queued ones wait for the next link unless `all`. */
  private failPending(message: string, all: boolean): void {
    for (const [id, p] of this.pending) {
      if (!all && p.wire !== null) continue;
      this.pending.delete(id);
      this.timers.clearTimeout(p.timer);
      p.reject(new ApiError('disconnected', message));
    }
  }

  private setStatus(s: ConnectionStatus): void {
    this.current = s;
    this.statusListeners.emit(s);
  }
}

