import type { PushChannel, PushPayload } from '../../shared/ipc/contracts';
import type { Logger } from '../logging/logger';
import type { Disposable } from '../process/worker-starter';

export type PushListener = (event: PushChannel, payload: unknown) => void;

/** Engine -> hosts fan-out of push events. Knows how many listeners there are (health ticks only when > 0). */
export class PushBus {
  private readonly listeners = new Set<PushListener>();
  private readonly watchers = new Set<(count: number) => void>();
  constructor(private readonly logger: Logger) {}

  get listenerCount(): number {
    return this.listeners.size;
  }

  emit<E extends PushChannel>(event: E, payload: PushPayload<E>): void {
    for (const l of [...this.listeners]) {
      try {
        l(event, payload);
      } catch (err) {
        this.logger.warn('push listener failed', { event, err });
      }
    }
  }

  on(listener: PushListener): Disposable {
    this.listeners.add(listener);
    this.notify();
    return {
      dispose: () => {
        if (this.listeners.delete(listener)) this.notify();
      },
    };
  }

  /** Called with the listener count whenever it changes. */
  onCountChange(watcher: (count: number) => void): Disposable {
    this.watchers.add(watcher);
    return { dispose: () => void this.watchers.delete(watcher) };
  }

  private notify(): void {
    for (const w of this.watchers) w(this.listeners.size);
  }
}
