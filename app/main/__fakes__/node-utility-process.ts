import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { deserialize, serialize } from 'node:v8';

/**
 * Electron's `utilityProcess` played by real Node processes, for tests that need a worker to really run
 * (Electron's binary cannot be downloaded on the build machines). What matters is kept: the worker gets a
 * `process.parentPort` (messages as `{ data }`, structured-clone encoding) and NO IPC channel, so
 * `process.send` is absent and 'disconnect' never fires; like Electron's parentPort, nothing tells the worker
 * when its parent dies. Messages travel as length-prefixed v8-serialized records on an extra pipe (fd 3).
 */
const SHIM = `
const { EventEmitter } = require('node:events');
const net = require('node:net');
const v8 = require('node:v8');
const sock = new net.Socket({ fd: 3, readable: true, writable: true });
const port = new EventEmitter();
port.postMessage = (m) => {
  const body = v8.serialize(m);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  sock.write(Buffer.concat([head, body]));
};
let buf = Buffer.alloc(0);
sock.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  while (buf.length >= 4) {
    const n = buf.readUInt32LE(0);
    if (buf.length < 4 + n) break;
    const m = v8.deserialize(buf.subarray(4, 4 + n));
    buf = buf.subarray(4 + n);
    port.emit('message', { data: m });
  }
});
// Electron's parentPort reports nothing when the main process goes away: neither may this one.
sock.on('error', () => {});
Object.defineProperty(process, 'parentPort', { value: port });
`;

/** One file per shim version in the temp folder, reused by every run (a SIGKILLed host cannot clean up). */
function shimFile(): string {
  const file = path.join(os.tmpdir(), `watchroom-parent-port-shim-${createHash('sha256').update(SHIM).digest('hex').slice(0, 12)}.cjs`);
  if (!fs.existsSync(file)) {
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, SHIM);
    fs.renameSync(partial, file);
  }
  return file;
}

export class NodeUtilityProcess extends EventEmitter {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  private readonly child: ChildProcess;
  private inbound = Buffer.alloc(0);
  constructor(modulePath: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdio?: unknown }) {
    super();
    this.child = spawn(process.execPath, ['-r', shimFile(), modulePath, ...args], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    this.stdout = this.child.stdout;
    this.stderr = this.child.stderr;
    const port = this.child.stdio[3] as Readable;
    port.on('data', (d: Buffer) => {
      this.inbound = Buffer.concat([this.inbound, d]);
      while (this.inbound.length >= 4) {
        const n = this.inbound.readUInt32LE(0);
        if (this.inbound.length < 4 + n) break;
        const m = deserialize(this.inbound.subarray(4, 4 + n)) as unknown;
        this.inbound = this.inbound.subarray(4 + n);
        this.emit('message', m);
      }
    });
    port.on('error', () => {});
    this.child.once('spawn', () => this.emit('spawn'));
    this.child.once('exit', (code, signal) => this.emit('exit', code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 0)));
  }
  get pid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }
  postMessage(message: unknown): void {
    const body = serialize(message);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length, 0);
    (this.child.stdio[3] as NodeJS.WritableStream).write(Buffer.concat([head, body]));
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

/** `utilityProcess` for UtilityProcessStarter, backed by NodeUtilityProcess. */
export class NodeUtilityProcessModule {
  fork(modulePath: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv; stdio?: unknown } = {}): NodeUtilityProcess {
    return new NodeUtilityProcess(modulePath, args, options);
  }
}
