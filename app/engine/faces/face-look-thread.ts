import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { FaceSessionOptions } from './face-detector';
import { FaceLookService, type FaceLookReply, type FaceLookRequest } from './face-look';

/**
 * The inference worker's face looks run in a thread of their own (the worker's bundle started again as a
 * worker_thread, as the detector threads are): ONNX Runtime's Node binding runs a session synchronously on its
 * thread, and a look (JPEG decode + a few face-model runs, tens of ms) on the worker's main thread would hold up
 * the frames and replies of every camera meanwhile. The thread opens the face models on its first look and
 * releases them when closed.
 */
const FACE_LOOK_THREAD_MARK = 'watchroom-face-look-thread';

interface ThreadRequest { id: number; look: FaceLookRequest }
interface ThreadReply { id: number; reply: FaceLookReply }

/** True in the thread started by FaceLookThread; the bundle's entry then calls runFaceLookThread() instead of main(). */
export const isFaceLookThread = (): boolean => (workerData as { mark?: string } | null)?.mark === FACE_LOOK_THREAD_MARK;

/** Thread side: one FaceLookService, one look at a time (the worker sends one at a time). */
export function runFaceLookThread(): void {
  const port = parentPort!;
  const service = new FaceLookService((workerData as { options: FaceSessionOptions }).options);
  port.on('message', (m: ThreadRequest | { close: true }) => {
    if ('close' in m) {
      void service.dispose().finally(() => port.close());
      return;
    }
    service.look(m.look).then(
      (reply) => port.postMessage({ id: m.id, reply } satisfies ThreadReply),
      (e: unknown) => port.postMessage({ id: m.id, reply: { status: 'error', message: e instanceof Error ? e.message : String(e) } } satisfies ThreadReply),
    );
  });
}

/** Worker side: starts the thread on the first look; a thread that dies fails its looks and is started again on the next. */
export class FaceLookThread {
  private thread: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (r: FaceLookReply) => void>();

  constructor(private readonly entry: string, private readonly options: FaceSessionOptions) {}

  look(look: FaceLookRequest): Promise<FaceLookReply> {
    const t = this.thread ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      t.postMessage({ id, look } satisfies ThreadRequest);
    });
  }

  /** Closes the thread (its face sessions released); resolves when it has exited. */
  async dispose(): Promise<void> {
    const t = this.thread;
    this.thread = null;
    if (!t) return;
    const gone = new Promise<void>((r) => t.once('exit', () => r()));
    t.postMessage({ close: true });
    const kill = setTimeout(() => void t.terminate(), 5_000);
    await gone;
    clearTimeout(kill);
  }

  private start(): Worker {
    const t = new Worker(this.entry, { workerData: { mark: FACE_LOOK_THREAD_MARK, options: this.options } });
    this.thread = t;
    t.on('message', (m: ThreadReply) => {
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m.reply);
    });
    const failAll = (why: string) => {
      if (this.thread === t) this.thread = null;
      for (const [id, resolve] of this.pending) {
        this.pending.delete(id);
        resolve({ status: 'error', message: why });
      }
    };
    t.on('error', (e) => failAll(`the face thread failed: ${e.message}`));
    t.on('exit', () => failAll('the face thread stopped'));
    return t;
  }
}
