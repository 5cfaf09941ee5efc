import WebSocket from 'ws';
import { WS_PATH } from '../shared/ipc/ws-protocol';

/** A small WebSocket client of the host's protocol for tests. */
export class TestSocket {
  private nextId = 1;
  private readonly waiting = new Map<number, (m: unknown) => void>();
  readonly errors: unknown[] = [];
  readonly pushes: { event: string }[] = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d, binary) => {
      if (binary) return;
      const m = JSON.parse(String(d)) as { t: string; id?: number; event?: string };
      if (m.t === 'result') this.waiting.get(m.id!)?.(m);
      else if (m.t === 'push') this.pushes.push(m as { event: string });
      else this.errors.push(m);
    });
  }
  static open(url: string, opts: { origin?: string; token?: string | null } = {}): Promise<TestSocket> {
    const u = new URL(url);
    const wsUrl = `${u.origin.replace(/^http/, 'ws')}${WS_PATH}${opts.token === null ? '' : `?token=${opts.token ?? u.searchParams.get('token')}`}`;
    const ws = new WebSocket(wsUrl, { origin: opts.origin ?? u.origin });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }
  invoke(channel: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string; details?: { reason?: string } } }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (m) => {
        this.waiting.delete(id);
        resolve(m as never);
      });
      this.ws.send(JSON.stringify({ t: 'invoke', id, channel, ...(input !== undefined ? { input } : {}) }));
    });
  }
  close(): void {
    this.ws.close();
  }
}
