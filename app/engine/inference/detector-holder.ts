import type { Logger } from '../logging/logger';
import { nullLogger } from '../logging/logger';
import type { DetectorOptions } from './detector';
import { createFrameDetector, type FrameDetector } from './detector-pool';
import type { ExtraModelsReport } from './inference-worker-protocol';

/** What a DetectorHolder holds: no model yet, or the primary detector (with the last load error, if any). */
export type HolderState =
  | { kind: 'empty'; error: string | null }
  | { kind: 'ready'; detector: FrameDetector; error: string | null };

/**
 * Owns the active Detector (the primary model: the site default) and the extra models cameras asked for. `load`
 * swaps in a new primary only once it opened and validated; on failure (corrupt file, shapes that do not fit,
 * file vanished) the model it had keeps running and `lastError` says why. Extras load and unload beside it
 * (`loadExtra`, `retainExtras`); a frame goes to the detector of the model it was prepared for (`forModel`).
 */
export class DetectorHolder {
  private state: HolderState = { kind: 'empty', error: null };
  private readonly extras = new Map<string, FrameDetector>();
  private readonly extraErrors = new Map<string, string>();
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

  /** The detector for frames prepared for `modelId`: that extra model when loaded, else the primary. */
  forModel(modelId: string | undefined): FrameDetector | null {
    return (modelId !== undefined ? this.extras.get(modelId) : undefined) ?? this.current;
  }

  /** Every loaded detector, primary first. */
  all(): FrameDetector[] {
    return [...(this.current ? [this.current] : []), ...this.extras.values()];
  }

  hasExtra(modelId: string): boolean {
    return this.extras.has(modelId);
  }

  /** Loaded extras and the extras that failed (with why). */
  extraReport(): ExtraModelsReport {
    return {
      loaded: [...this.extras.values()].map((d) => ({ modelId: d.manifest.id, executionProvider: d.provider })),
      failed: [...this.extraErrors].map(([modelId, error]) => ({ modelId, error })),
    };
  }

  /** Loads an extra model beside the primary; a failure is recorded (extraReport) and changes nothing else. */
  async loadExtra(opts: DetectorOptions, sessions = 1, threadEntry?: string): Promise<void> {
    const id = opts.manifest.id;
    if (this.extras.has(id) || this.current?.manifest.id === id) return;
    try {
      const d = await createFrameDetector(opts, sessions, threadEntry, this.recycle);
      this.extras.set(id, d);
      this.extraErrors.delete(id);
      this.logger.info('extra model loaded', { model: id, provider: d.provider });
    } catch (e) {
      this.noteExtraError(id, e instanceof Error ? e.message : String(e));
    }
  }

  noteExtraError(modelId: string, error: string): void {
    this.extraErrors.set(modelId, error);
    this.logger.error('extra model not loaded; its cameras use the primary model', { model: modelId, error });
  }

  /** Unloads the extras (and forgets the failures) no camera asks for any more. */
  async retainExtras(keep: ReadonlySet<string>): Promise<void> {
    for (const id of [...this.extraErrors.keys()]) if (!keep.has(id)) this.extraErrors.delete(id);
    for (const [id, d] of [...this.extras]) {
      if (keep.has(id)) continue;
      this.extras.delete(id);
      await d.dispose();
      this.logger.info('extra model unloaded', { model: id });
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
    await this.retainExtras(new Set());
  }
}
