import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Envelope } from '../shared/ipc/envelope';
import { IPC_INVOKE, IPC_PUSH, IPC_READY } from '../shared/ipc/electron-channels';
import type { PushChannel } from '../shared/ipc/contracts';
import type { Logger } from '../engine/logging/logger';
import type { Disposable } from '../engine/process/worker-starter';
import type { Dispatch } from '../engine/services/dispatcher';
import { isAppUrl } from './security';

type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;
/** The parts of a WebContents the gateway uses. */
export type GatewayContents = Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'once'> & { readonly mainFrame?: FrameLike | null };
/** The parts of a WebFrameMain the gateway compares. */
interface FrameLike {
  readonly url?: string;
  readonly parent?: unknown;
  readonly routingId?: number;
  readonly processId?: number;
}

/** Whether `frame` is the top-level frame of `contents` (not an iframe inside it, even one on app://). */
export function isMainFrameOf(contents: { readonly mainFrame?: FrameLike | null } | undefined, frame: FrameLike | null | undefined): boolean {
  let main: FrameLike | null | undefined;
  try {
    main = contents?.mainFrame;
  } catch {
    return false;
  }
  if (!frame || !main) return false;
  if (frame === main) return true;
  // Electron may hand out different wrapper objects for one frame: compare its identity (process and routing id).
  return frame.parent == null && frame.routingId !== undefined && frame.routingId === main.routingId && frame.processId === main.processId;
}

export interface IpcGatewayOptions {
  ipcMain: IpcMainLike;
  dispatch: Dispatch;
  /** Engine push events (WatchroomEngine.onPush). */
  onPush: (listener: (event: PushChannel, payload: unknown) => void) => Disposable;
  logger: Logger;
  /** Pushes kept per window before it says ready (oldest dropped). */
  maxQueued?: number;
  /** The signed-in user of a peer (`electron:<id>`), or null: pushes go to signed-in windows only (WatchroomEngine.peerUser). */
  peerUser: (peer: string) => unknown;
  /** A window went away: its peer lets go of its session (WatchroomEngine.releasePeer). */
  releasePeer: (peer: string) => void;
  /** Called when a trusted window says it is ready (frames port set-up hooks in here). */
  onReady?: (contents: GatewayContents) => void;
}

interface WindowEntry {
  contents: GatewayContents;
  ready: boolean;
  queue: { event: PushChannel; payload: unknown }[];
}

/**
 * The ONE door between renderers and the engine: a single invoke channel carrying `{ channel, input }`,
 * answered with an Envelope. Senders must be registered windows, calling from their main frame, showing app://
 * there; everything else (another window, an iframe, a frame navigated elsewhere) gets `forbidden` (and is logged).
 */
export class IpcGateway {
  private readonly windows = new Map<number, WindowEntry>();
  private pushSub: Disposable | null = null;
  private readonly log: Logger;

  constructor(private readonly o: IpcGatewayOptions) {
    this.log = o.logger.child({ component: 'ipc-gateway' });
    o.ipcMain.handle(IPC_INVOKE, this.onInvoke);
    o.ipcMain.on(IPC_READY, this.onReadyMessage);
  }

  /** Trusts one window's webContents until it is destroyed. */
  addWindow(contents: GatewayContents): void {
    this.windows.set(contents.id, { contents, ready: false, queue: [] });
    contents.once('destroyed', () => this.removeWindow(contents.id));
    if (!this.pushSub) this.pushSub = this.o.onPush((event, payload) => this.push(event, payload));
  }

  removeWindow(id: number): void {
    this.windows.delete(id);
    this.o.releasePeer(`electron:${id}`);
    if (!this.windows.size && this.pushSub) {
      this.pushSub.dispose();
      this.pushSub = null;
    }
  }

  /** Sends a push event to every window (queued for windows not ready yet). */
  push(event: PushChannel, payload: unknown): void {
    const max = this.o.maxQueued ?? 200;
    for (const w of this.windows.values()) {
      if (w.contents.isDestroyed() || !this.o.peerUser(`electron:${w.contents.id}`)) continue;
      if (w.ready) w.contents.send(IPC_PUSH, { event, payload });
      else {
        w.queue.push({ event, payload });
        if (w.queue.length > max) w.queue.shift();
      }
    }
  }

  dispose(): void {
    this.o.ipcMain.removeHandler(IPC_INVOKE);
    this.o.ipcMain.removeListener(IPC_READY, this.onReadyMessage);
    this.pushSub?.dispose();
    this.pushSub = null;
    this.windows.clear();
  }

  /** The sender's window entry when the sender is trusted, else null. */
  private trusted(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): WindowEntry | null {
    const w = event.sender ? this.windows.get(event.sender.id) : undefined;
    if (!w || w.contents !== (event.sender as unknown)) return null;
    let frame: FrameLike | null | undefined;
    let frameUrl: string | undefined;
    try {
      frame = event.senderFrame as FrameLike | null;
      frameUrl = frame?.url;
    } catch {}
    return isAppUrl(frameUrl) && isMainFrameOf(w.contents, frame) ? w : null;
  }

  private readonly onInvoke = async (event: IpcMainInvokeEvent, request: unknown): Promise<Envelope<unknown>> => {
    const w = this.trusted(event);
    if (!w) {
      this.log.warn('ipc request from an untrusted sender refused', { sender: event.sender?.id });
      return { ok: false, error: { code: 'forbidden', message: 'This window may not talk to the engine.' } };
    }
    if (!request || typeof request !== 'object' || !('channel' in request)) {
      return { ok: false, error: { code: 'invalid-input', message: 'Malformed request.' } };
    }
    const { channel, input } = request as { channel: unknown; input?: unknown };
    return this.o.dispatch(channel, input, { peer: `electron:${w.contents.id}` });
  };

  private readonly onReadyMessage = (event: IpcMainEvent): void => {
    const w = this.trusted(event);
    if (!w) return void this.log.warn('ready from an untrusted sender ignored', { sender: event.sender?.id });
    w.ready = true;
    for (const m of w.queue.splice(0)) w.contents.send(IPC_PUSH, m);
    this.o.onReady?.(w.contents);
  };
}
