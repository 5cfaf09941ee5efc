import { FaceLookReplySchema, type FaceLookReply, type FaceLookRequest } from '../faces/face-look';
import type { ToInferenceWorker } from './inference-worker-protocol';

/** No answer within this long: the look is given up (`skipped`), the track stays due. */
const FACE_LOOK_TIMEOUT_MS = 30_000;

/**
 * The engine's side of face looks in the inference worker (InferenceHost.faceLook): numbers each request, matches
 * the worker's `face-look` answers to them (checked with FaceLookReplySchema), and answers every pending look
 * `skipped` when the worker stops or restarts, so that a look in flight never hangs the face step.
 */
export class FaceLookCalls {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: FaceLookReply) => void; timer: NodeJS.Timeout }>();

  call(post: (m: ToInferenceWorker) => void, look: FaceLookRequest): Promise<FaceLookReply> {
    const id = this.nextId++;
    // A view into a larger buffer (a pooled Buffer slice) would take the whole buffer with it under structured clone.
    const jpeg = look.jpeg.byteOffset === 0 && look.jpeg.byteLength === look.jpeg.buffer.byteLength ? look.jpeg : look.jpeg.slice();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, { status: 'skipped', reason: 'the inference worker did not answer in time' }), FACE_LOOK_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, { resolve, timer });
      post({ type: 'face-look', id, look: { ...look, jpeg } });
    });
  }

  /** A `face-look` message from the worker. */
  answer(id: unknown, reply: unknown): void {
    if (typeof id !== 'number') return;
    const parsed = FaceLookReplySchema.safeParse(reply);
    this.settle(id, parsed.success ? (parsed.data as FaceLookReply) : { status: 'error', message: 'the inference worker sent a malformed face look answer' });
  }

  /** The worker is gone: every look in flight ends `skipped`. */
  failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { status: 'skipped', reason });
  }

  private settle(id: number, reply: FaceLookReply): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(reply);
  }
}
