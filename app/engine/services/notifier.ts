import type { Logger } from '../logging/logger';
import type { Disposable } from '../process/worker-starter';

/**
 * One typed notification between the engine's areas ("a camera was removed", "a camera's masks changed"). The
 * composition creates it before the areas that announce and the areas that listen, so no area calls into one
 * built after it. A listener that throws is logged and does not stop the others.
 */
export class Notifier<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
  ) {}

  subscribe(listener: (value: T) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  notify(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (err) {
        this.logger.warn('listener failed', { notification: this.what, err });
      }
    }
  }
}
