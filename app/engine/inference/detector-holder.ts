import type { Logger } from '../logging/logger';
import { nullLogger } from '../logging/logger';
import type { DetectorOptions } from './detector';
import { createFrameDetector, type FrameDetector } from './detector-pool';

/**
 * Owns the active Detector. `load` swaps in a new model only once it opened and validated; on failure (corrupt
 * file, shapes that do not fit, file vanished) the model it had keeps running and `lastError` says why.
 */
export type HolderState =
  | { kind: 'empty'; error: string | null }
  | { kind: 'ready'; detector: FrameDetector; error: string | null };

export class DetectorHolder {
  private state: HolderState = { kind: 'empty', error: null };
  constructor(
    private readonly logger: Logger = nullLogger,
    /** Where detector threads hand frame buffers back (the inference server's FrameBufferPool). */
    private readonly recycle?: (b: ArrayBuffer) => void,
  ) {}

  get current(): FrameDetector | null {
    return this.state.kind === 'ready' ? this.state.detector : null;
  }
  get lastError(): string | null {
    return this.state.error;
  }

  /**
   * `sessions` > 1 with a `threadEntry` (the worker bundle file) runs that many parallel sessions in worker threads.
   */
  async load(opts: DetectorOptions, sessions = 1, threadEntry?: string): Promise<{ ok: true; detector: FrameDetector } | { ok: false; error: string }> {
    try {
      const detector = await createFrameDetector(opts, sessions, threadEntry, this.recycle);
      const old = this.current;
      this.state = { kind: 'ready', detector, error: null };
      if (old) await old.dispose();
      this.logger.info('detector loaded', { model: detector.manifest.id, provider: detector.provider, sessions: detector.parallelism });
      return { ok: true, detector };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.state = { ...this.state, error };
      this.logger.error('detector load failed; keeping the previous model', { model: opts.manifest.id, error, kept: this.current?.manifest.id ?? null });
      return { ok: false, error };
    }
  }

  /** Records a failure that happened before a load could start (model not found, SHA mismatch); keeps the model. */
  noteError(error: string): void {
    this.state = { ...this.state, error };
  }

  async dispose(): Promise<void> {
    const d = this.current;
    this.state = { kind: 'empty', error: null };
    if (d) await d.dispose();
  }
}
