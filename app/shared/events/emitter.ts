/**
 * The one way to offer "tell me when X happens": a typed Emitter whose `on` returns a Disposable. Every
 * listener runs, in the order added, on a snapshot of the list (a listener may add or dispose listeners while it
 * runs); a listener that throws is reported to the emitter's log and does not stop the others. Pure TypeScript:
 * the engine passes its Logger, the renderer its console-backed log.
 */

/** Something to let go of: a subscription, a timer, a process handle. */
export interface Disposable {
  dispose(): void;
}

/** Where a throwing listener is reported (the engine's Logger fits). */
export interface ListenerErrorLog {
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Options of an Emitter. */
export interface EmitterOptions {
  /** Names the event in the log line of a throwing listener: "<name> listener failed". */
  name: string;
  log: ListenerErrorLog;
  /** Called with the number of listeners whenever it changes (e.g. start work only while someone listens). */
  onListenerCount?: (count: number) => void;
}

/** A typed event: `Emitter<[cameraId: string, state: CameraState]>` emits `(cameraId, state)`. */
export class Emitter<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();
  constructor(private readonly o: EmitterOptions) {}

  /** Listeners now registered. */
  get size(): number {
    return this.listeners.size;
  }

  /** Adds a listener; each call is its own registration. Dispose to remove it; disposing twice is harmless. */
  on(listener: (...args: Args) => void): Disposable {
    // a wrapper per registration, so disposing one registration never removes another's
    const entry = (...args: Args) => listener(...args);
    this.listeners.add(entry);
    this.o.onListenerCount?.(this.listeners.size);
    return {
      dispose: () => {
        if (this.listeners.delete(entry)) this.o.onListenerCount?.(this.listeners.size);
      },
    };
  }

  /** Calls every listener with `args`; a throw is logged and the next listener still runs. */
  emit(...args: Args): void {
    for (const l of [...this.listeners]) {
      try {
        l(...args);
      } catch (err) {
        this.o.log.error(`${this.o.name} listener failed`, { err });
      }
    }
  }

  /** Removes every listener (on dispose of the owner). */
  clear(): void {
    if (!this.listeners.size) return;
    this.listeners.clear();
    this.o.onListenerCount?.(0);
  }
}

