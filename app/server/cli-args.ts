/** Command line of the headless host. */
export interface HeadlessArgs {
  /** --data-dir DIR (else WATCHROOM_DATA_DIR, else the per-user dir). */
  dataDir?: string;
  /** --port N (else WATCHROOM_PORT, else 0 = any free port). */
  port: number;
  /** --host ADDR; default 127.0.0.1 (loopback only). */
  host: string;
  /** --no-open: do not open a browser. */
  open: boolean;
  /** --tls-cert FILE / --tls-key FILE (PEM): serve HTTPS/WSS; required with a --host beyond loopback. */
  tlsCert?: string;
  tlsKey?: string;
  /** --api: the HTTP API (`/api/v1/`, `/metrics`) answers for this run, whatever the admin setting says. */
  api: boolean;
}

export const HEADLESS_USAGE = 'Usage: headless [--data-dir DIR] [--port N] [--host ADDR --tls-cert FILE --tls-key FILE] [--no-open] [--api]';

export function parseHeadlessArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): HeadlessArgs {
  const out: HeadlessArgs = { port: env.WATCHROOM_PORT ? Number(env.WATCHROOM_PORT) : 0, host: '127.0.0.1', open: true, api: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value. ${HEADLESS_USAGE}`);
      return v;
    };
    switch (flag) {
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--port':
        out.port = Number(value());
        break;
      case '--host':
        out.host = value();
        break;
      case '--tls-cert':
        out.tlsCert = value();
        break;
      case '--tls-key':
        out.tlsKey = value();
        break;
      case '--no-open':
        out.open = false;
        break;
      case '--open':
        out.open = true;
        break;
      case '--api':
        out.api = true;
        break;
      default:
        throw new Error(`Unknown option ${raw}. ${HEADLESS_USAGE}`);
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`--port must be 0..65535. ${HEADLESS_USAGE}`);
  if ((out.tlsCert === undefined) !== (out.tlsKey === undefined)) throw new Error(`--tls-cert and --tls-key go together. ${HEADLESS_USAGE}`);
  return out;
}
