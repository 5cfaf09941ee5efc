import type { PushChannel, PushPayload } from '../../shared/ipc/contracts';
import type { Logger } from '../logging/logger';
import { Emitter, type Disposable } from '../../shared/events/emitter';

export type PushListener = (event: PushChannel, payload: unknown) => void;

/** Engine -> hosts fan-out of push events. Knows how many listeners there are (health ticks only when > 0). */
export class PushBus {
  private readonly watchers: Emitter<[count: number]>;
  private readonly listeners: Emitter<[event: PushChannel, payload: unknown]>;
  constructor(logger: Logger) {
    this.watchers = new Emitter({ name: 'push listener count', log: logger });
    this.listeners = new Emitter({ name: 'push', log: logger, onListenerCount: (n) => this.watchers.emit(n) });
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  emit<E extends PushChannel>(event: E, payload: PushPayload<E>): void {
    this.listeners.emit(event, payload);
  }

  on(listener: PushListener): Disposable {
    return this.listeners.on(listener);
  }

  /** Called with the listener count whenever it changes. */
  onCountChange(watcher: (count: number) => void): Disposable {
    return this.watchers.on(watcher);
  }
}
