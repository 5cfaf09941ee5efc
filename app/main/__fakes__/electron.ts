// Test doubles for the few Electron objects main uses. Tests never load the real 'electron' (its binary is
// absent here); main's modules take these objects as parameters instead.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

let nextContentsId = 1;
let nextRoutingId = 1;

/** A WebFrameMain: the main frame of a FakeWebContents (url follows the contents) or an iframe in it. */
export class FakeFrame {
  readonly routingId = nextRoutingId++;
  constructor(
    private readonly owner: { url: string; id: number },
    readonly parent: FakeFrame | null,
    private readonly ownUrl?: string,
  ) {}
  get url(): string {
    return this.ownUrl ?? this.owner.url;
  }
  get processId(): number {
    return this.owner.id;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = 'app://watchroom/index.html';
  readonly mainFrame: FakeFrame = new FakeFrame(this, null);
  destroyed = false;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  readonly posted: { channel: string; message: unknown; transfer: unknown[] }[] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  postMessage(channel: string, message: unknown, transfer: unknown[] = []): void {
    this.posted.push({ channel, message, transfer });
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  /** Emits a cancellable event the way Electron does; returns whether it was prevented. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

/**
 * An IPC event as main receives it: from the sender's main frame (showing `frameUrl`, by default the sender's
 * URL), or from an iframe inside it (`from: 'subframe'`).
 */
export const ipcEvent = (sender: FakeWebContents, frameUrl: string | null = sender.url, from: 'main' | 'subframe' = 'main') => ({
  sender,
  senderFrame:
    frameUrl === null
      ? null
      : from === 'subframe'
        ? new FakeFrame(sender, sender.mainFrame, frameUrl)
        : frameUrl === sender.url
          ? sender.mainFrame
          : { url: frameUrl, parent: null, routingId: sender.mainFrame.routingId, processId: sender.mainFrame.processId },
});

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  readonly emitter = new EventEmitter();
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, fn: (...a: unknown[]) => void): this {
    this.emitter.on(channel, fn);
    return this;
  }
  removeListener(channel: string, fn: (...a: unknown[]) => void): this {
    this.emitter.removeListener(channel, fn);
    return this;
  }
  /** What ipcRenderer.invoke would get back. */
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
  send(channel: string, event: unknown, ...args: unknown[]): void {
    this.emitter.emit(channel, event, ...args);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  shown = false;
  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
  }
  focused = 0;
  show(): void {
    this.shown = true;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {
    this.focused++;
  }
}

export class FakeSession {
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void, details: unknown) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string, origin: string) => boolean) | null = null;
  headersHook: ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void) | null = null;
  readonly webRequest = { onHeadersReceived: (fn: FakeSession['headersHook']) => void (this.headersHook = fn) };
  setPermissionRequestHandler(fn: FakeSession['permissionRequest']): void {
    this.permissionRequest = fn;
  }
  setPermissionCheckHandler(fn: FakeSession['permissionCheck']): void {
    this.permissionCheck = fn;
  }
}

export class FakeUtilityProcess extends EventEmitter {
  static nextPid = 5000;
  pid: number | undefined = FakeUtilityProcess.nextPid++;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly messages: unknown[] = [];
  killed = false;
  /** Exit code used when kill() is called. */
  killCode = 143;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: Record<string, unknown>,
  ) {
    super();
  }
  postMessage(m: unknown): void {
    this.messages.push(m);
  }
  kill(): boolean {
    if (this.killed) return false;
    this.killed = true;
    setImmediate(() => this.exit(this.killCode));
    return true;
  }
  exit(code: number): void {
    this.pid = undefined;
    this.emit('exit', code);
  }
}

export class FakeUtilityProcessModule {
  readonly forked: FakeUtilityProcess[] = [];
  fork(modulePath: string, args: string[] = [], options: Record<string, unknown> = {}): FakeUtilityProcess {
    const p = new FakeUtilityProcess(modulePath, args, options);
    this.forked.push(p);
    return p;
  }
}

export class FakePort extends EventEmitter {
  other: FakePort | null = null;
  started = false;
  closed = false;
  readonly posted: unknown[] = [];
  postMessage(m: unknown): void {
    this.posted.push(m);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
  }
  /** Simulates the renderer sending on the other end. */
  receive(data: unknown): void {
    this.emit('message', { data, ports: [] });
  }
}

export class FakeMessageChannel {
  readonly port1 = new FakePort();
  readonly port2 = new FakePort();
  constructor() {
    this.port1.other = this.port2;
    this.port2.other = this.port1;
  }
}

/** safeStorage: a reversible stand-in "encryption" (byte-wise XOR) with a switchable availability and backend. */
export class FakeSafeStorage {
  available = true;
  backend = 'gnome_libsecret';
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a));
  }
  decryptString(sealed: Buffer): string {
    return Buffer.from(sealed.map((b) => b ^ 0x5a)).toString('utf8');
  }
}

/** dialog.showSaveDialog: answers with the next path queued (or cancelled), records what it was asked. */
export class FakeDialog {
  readonly asked: { defaultPath?: string }[] = [];
  next: string | null = null;
  showSaveDialog = async (...args: unknown[]): Promise<{ canceled: boolean; filePath: string }> => {
    this.asked.push(args[args.length - 1] as { defaultPath?: string });
    const p = this.next;
    return p ? { canceled: false, filePath: p } : { canceled: true, filePath: '' };
  };
}

/** shell.openPath: records the paths opened; answers '' (success) unless `problem` is set. */
export class FakeShell {
  readonly opened: string[] = [];
  problem = '';
  openPath = async (p: string): Promise<string> => {
    this.opened.push(p);
    return this.problem;
  };
}
