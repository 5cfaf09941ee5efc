/** Transport status of the renderer's link to its host, as a discriminated union. */
export type ConnectionStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open'; since: number }
  /** The link dropped; the next attempt starts at `retryAt` (epoch ms). */
  | { state: 'reconnecting'; attempt: number; retryAt: number; reason: string }
  /** The renderer cannot connect at all (for example no token); `reason` is shown as is. */
  | { state: 'failed'; reason: string };

/** An API that can report its connection (the WebSocket client; Electron IPC is always open). */
export interface ConnectionAware {
  /** Current status. */
  status(): ConnectionStatus;
  /** Listens to status changes; returns the unsubscribe function. */
  onStatus(listener: (s: ConnectionStatus) => void): () => void;
}
