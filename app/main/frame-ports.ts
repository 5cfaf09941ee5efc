import type { MessageChannelMain, MessagePortMain, WebContents } from 'electron';
import { CameraIdSchema } from '../shared/domain/camera';
import type { LiveFrame } from '../shared/domain/detection';
import { IPC_FRAME_PORT, type FramePortRequest } from '../shared/ipc/electron-channels';
import type { Logger } from '../engine/logging/logger';

type ChannelLike = Pick<MessageChannelMain, 'port1' | 'port2'>;
type PortLike = Pick<MessagePortMain, 'on' | 'postMessage' | 'start' | 'close'>;

export interface FramePortBridgeOptions {
  /** `() => new MessageChannelMain()` (injected for tests). */
  createChannel: () => ChannelLike;
  subscribeFrames: (cameraId: string, listener: (frame: LiveFrame) => void) => () => void;
  logger: Logger;
  /** Frames posted but not yet acknowledged per camera before new ones are dropped (default 2). */
  maxInFlight?: number;
  /** Whether a window (webContents id) may receive frames now: signed in (a locked session still may). */
  mayReceive: (contentsId: number) => boolean;
}

interface Link {
  contentsId: number;
  port: PortLike;
  subs: Map<string, { off: () => void; inFlight: number; dropped: number }>;
}

/**
 * Live frames for Electron: one MessageChannelMain per window, its port2 handed to the preload with
 * webContents.postMessage. The renderer asks for cameras on the port and acknowledges each frame; frames
 * beyond `maxInFlight` unacknowledged ones are dropped, so a busy renderer never grows main's memory.
 */
export class FramePortBridge {
  private readonly links = new Map<number, Link>();
  constructor(private readonly o: FramePortBridgeOptions) {}

  /** (Re)connects a window: closes its previous port, posts a fresh one. */
  connect(contents: Pick<WebContents, 'id' | 'postMessage' | 'once'>): void {
    this.disconnect(contents.id);
    const { port1, port2 } = this.o.createChannel();
    const link: Link = { contentsId: contents.id, port: port1, subs: new Map() };
    this.links.set(contents.id, link);
    port1.on('message', (e) => this.onRequest(link, e.data as FramePortRequest));
    port1.on('close', () => this.release(link));
    port1.start();
    contents.postMessage(IPC_FRAME_PORT, null, [port2 as MessagePortMain]);
    contents.once('destroyed', () => this.disconnect(contents.id));
  }

  disconnect(id: number): void {
    const link = this.links.get(id);
    if (!link) return;
    this.links.delete(id);
    this.release(link);
    link.port.close();
  }

  dispose(): void {
    for (const id of [...this.links.keys()]) this.disconnect(id);
  }

  private release(link: Link): void {
    for (const s of link.subs.values()) s.off();
    link.subs.clear();
  }

  private onRequest(link: Link, req: FramePortRequest): void {
    const id = CameraIdSchema.safeParse(req?.cameraId);
    if (!id.success) return;
    const sub = link.subs.get(id.data);
    if (req.t === 'ack') {
      if (sub && sub.inFlight > 0) sub.inFlight--;
      return;
    }
    if (req.t !== 'frames') return;
    if (!req.on) {
      sub?.off();
      link.subs.delete(id.data);
      return;
    }
    if (sub) return;
    const entry = { off: () => {}, inFlight: 0, dropped: 0 };
    link.subs.set(id.data, entry);
    try {
      entry.off = this.o.subscribeFrames(id.data, (frame) => {
        if (!this.o.mayReceive(link.contentsId)) return;
        if (entry.inFlight >= (this.o.maxInFlight ?? 2)) {
          entry.dropped++;
          return;
        }
        entry.inFlight++;
        link.port.postMessage(frame);
      });
    } catch (err) {
      link.subs.delete(id.data);
      this.o.logger.warn('frame subscription failed', { camera: id.data, err });
    }
  }
}
