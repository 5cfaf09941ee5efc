import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CameraIdSchema } from '../shared/domain/camera';
import type { LiveFrame } from '../shared/domain/detection';
import { encodeFrame } from '../shared/ipc/frame-codec';
import { ClientMessageSchema, type ClientMessage, type ServerMessage } from '../shared/ipc/ws-protocol';
import type { Logger } from '../engine/logging/logger';
import type { Disposable } from '../engine/process/worker-starter';
import type { WatchroomEngine } from '../engine/services/engine';

/** The engine surface the gateway needs (a fake in tests). `peerUser` gates pushes and frames: signed-in peers only. */
export type GatewayEngine = Pick<WatchroomEngine, 'dispatch' | 'onPush' | 'subscribeFrames' | 'peerUser' | 'releasePeer'>;

export interface WsGatewayOptions {
  engine: GatewayEngine;
  logger: Logger;
  /** A socket with more than this many bytes queued gets no new frames until it drains (default 2 MiB). */
  frameBacklogBytes?: number;
  /** A socket with more than this queued is too slow to keep: closed (default 32 MiB). */
  closeBacklogBytes?: number;
  /** Requests in flight per socket before new ones are refused (default 64). */
  maxInFlight?: number;
}

interface Conn {
  ws: WebSocket;
  peer: string;
  frames: Map<string, () => void>;
  inFlight: number;
  droppedFrames: number;
  /** Frame subscriptions asked for while signed out. */
  wanted: Set<string>;
}

/** Implements app/shared/ipc/ws-protocol.ts on authenticated sockets (authentication is the caller's job). */
export class WsGateway {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024, perMessageDeflate: false });
  private readonly conns = new Set<Conn>();
  private pushSub: Disposable | null = null;
  private nextId = 1;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  /** Terminates sockets that did not answer the previous ping (dead peers never free their buffers). */
  private readonly heartbeat = setInterval(() => {
    for (const c of this.conns) {
      if (this.alive.get(c.ws) === false) {
        c.ws.terminate();
        continue;
      }
      this.alive.set(c.ws, false);
      c.ws.ping();
    }
  }, 30_000).unref();
  private readonly frameBacklog: number;
  private readonly closeBacklog: number;
  private readonly maxInFlight: number;

  constructor(private readonly o: WsGatewayOptions) {
    this.frameBacklog = o.frameBacklogBytes ?? 2 * 1024 * 1024;
    this.closeBacklog = o.closeBacklogBytes ?? 32 * 1024 * 1024;
    this.maxInFlight = o.maxInFlight ?? 64;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** Completes the WebSocket handshake of an already authorised upgrade request. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  /** Closes every socket (going away). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const c of [...this.conns]) c.ws.close(1001, 'server stopping');
    for (const c of [...this.conns]) c.ws.terminate();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    const conn: Conn = { ws, peer: `ws:${this.nextId++}`, frames: new Map(), inFlight: 0, droppedFrames: 0, wanted: new Set() };
    this.conns.add(conn);
    if (!this.pushSub) this.pushSub = this.o.engine.onPush((event, payload) => this.broadcast({ t: 'push', event, payload }));
    this.o.logger.info('client connected', { peer: conn.peer, clients: this.conns.size });
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', (data, isBinary) => this.onMessage(conn, data, isBinary));
    ws.on('error', (err) => this.o.logger.debug('socket error', { peer: conn.peer, err }));
    ws.on('close', () => {
      this.conns.delete(conn);
      for (const off of conn.frames.values()) off();
      conn.frames.clear();
      this.o.engine.releasePeer(conn.peer);
      if (!this.conns.size && this.pushSub) {
        this.pushSub.dispose();
        this.pushSub = null;
      }
      this.o.logger.info('client disconnected', { peer: conn.peer, droppedFrames: conn.droppedFrames, clients: this.conns.size });
    });
  }

  private onMessage(conn: Conn, data: unknown, isBinary: boolean): void {
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(String(data));
    } catch {
      conn.ws.close(1003, 'JSON text messages only');
      return;
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` (${issue.path.map(String).join('.')})` : '';
      this.send(conn, { t: 'error', error: { code: 'invalid-input', message: `Unrecognised message${where}: ${issue?.message ?? 'invalid'}.` } });
      return;
    }
    const msg: ClientMessage = parsed.data;
    if (msg.t === 'invoke') return void this.invoke(conn, msg);
    return this.frames(conn, msg.cameraId, msg.on);
  }

  private async invoke(conn: Conn, msg: Extract<ClientMessage, { t: 'invoke' }>): Promise<void> {
    if (conn.inFlight >= this.maxInFlight) {
      this.send(conn, { t: 'result', id: msg.id, ok: false, error: { code: 'unavailable', message: 'Too many requests at once; try again.' } });
      return;
    }
    conn.inFlight++;
    try {
      const env = await this.o.engine.dispatch(msg.channel, msg.input, { peer: conn.peer });
      this.send(conn, env.ok ? { t: 'result', id: msg.id, ok: true, value: env.value } : { t: 'result', id: msg.id, ok: false, error: env.error });
      if (conn.wanted.size && this.o.engine.peerUser(conn.peer)) {
        const wanted = [...conn.wanted];
        conn.wanted.clear();
        for (const cameraId of wanted) this.frames(conn, cameraId, true);
      }
    } catch (err) {
      this.o.logger.error('dispatch failed', { peer: conn.peer, err });
      this.send(conn, { t: 'result', id: msg.id, ok: false, error: { code: 'internal', message: 'Something went wrong inside Watchroom; see the log.' } });
    } finally {
      conn.inFlight--;
    }
  }

  private frames(conn: Conn, cameraId: unknown, on: boolean): void {
    const id = CameraIdSchema.safeParse(cameraId);
    if (!id.success) return this.send(conn, { t: 'error', error: { code: 'invalid-input', message: 'Invalid camera id.' } });
    if (!on) conn.wanted.delete(id.data);
    // Live video is for signed-in users (a locked session keeps it: the live view runs behind the lock). A
    // subscription asked for before sign-in (a reconnect replays them) starts once the socket signs in.
    if (on && !this.o.engine.peerUser(conn.peer)) {
      if (conn.wanted.size < 64) conn.wanted.add(id.data);
      return;
    }
    const existing = conn.frames.get(id.data);
    if (!on) {
      existing?.();
      conn.frames.delete(id.data);
      return;
    }
    if (existing || conn.frames.size >= 64) return;
    try {
      conn.frames.set(id.data, this.o.engine.subscribeFrames(id.data, (f) => this.sendFrame(conn, f)));
    } catch (err) {
      this.o.logger.warn('frame subscription failed', { peer: conn.peer, err });
    }
  }

  private sendFrame(conn: Conn, frame: LiveFrame): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    if (!this.o.engine.peerUser(conn.peer)) {
      // Signed out (here or in another window of the same session): the subscription ends.
      conn.frames.get(frame.cameraId)?.();
      conn.frames.delete(frame.cameraId);
      return;
    }
    if (conn.ws.bufferedAmount > this.frameBacklog) {
      conn.droppedFrames++;
      return this.closeIfStuck(conn);
    }
    const { jpeg, ...header } = frame;
    conn.ws.send(encodeFrame(header, jpeg), { binary: true });
  }

  private send(conn: Conn, msg: ServerMessage): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(JSON.stringify(msg));
    this.closeIfStuck(conn);
  }

  private broadcast(msg: ServerMessage): void {
    const text = JSON.stringify(msg);
    for (const c of this.conns) {
      if (c.ws.readyState !== c.ws.OPEN || !this.o.engine.peerUser(c.peer)) continue;
      c.ws.send(text);
      this.closeIfStuck(c);
    }
  }

  private closeIfStuck(conn: Conn): void {
    if (conn.ws.bufferedAmount <= this.closeBacklog) return;
    this.o.logger.warn('client too slow: disconnecting', { peer: conn.peer, bufferedBytes: conn.ws.bufferedAmount });
    conn.ws.terminate();
  }
}
