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

/** For the page and the preload, which have no Logger: the browser console. */
export const consoleErrorLog: ListenerErrorLog = { error: (msg, fields) => console.error(msg, fields?.err) };

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


/** Options of a KeyedEmitter. */
export interface KeyedEmitterOptions<K> extends Omit<EmitterOptions, 'onListenerCount'> {
  /** A key got its first listener (e.g. ask the server for that camera's frames). */
  onFirstListener?: (key: K) => void;
  /** A key lost its last listener. */
  onLastListener?: (key: K) => void;
}

/** One Emitter per key (a push channel, a camera id), kept only while the key has listeners. */
export class KeyedEmitter<K, Args extends unknown[]> {
  private readonly byKey = new Map<K, Emitter<Args>>();
  constructor(private readonly o: KeyedEmitterOptions<K>) {}

  /** Keys that have listeners now. */
  keys(): K[] {
    return [...this.byKey.keys()];
  }

  on(key: K, listener: (...args: Args) => void): Disposable {
    let emitter = this.byKey.get(key);
    const first = !emitter;
    if (!emitter) {
      const own: Emitter<Args> = new Emitter({
        name: this.o.name,
        log: this.o.log,
        onListenerCount: (n) => {
          if (n > 0 || this.byKey.get(key) !== own) return;
          this.byKey.delete(key);
          this.o.onLastListener?.(key);
        },
      });
      this.byKey.set(key, (emitter = own));
    }
    const sub = emitter.on(listener);
    if (first) this.o.onFirstListener?.(key);
    return sub;
  }

  emit(key: K, ...args: Args): void {
    this.byKey.get(key)?.emit(...args);
  }

  /** Forgets every listener (no onLastListener calls). */
  clear(): void {
    this.byKey.clear();
  }
}
