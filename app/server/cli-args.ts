import { parseArgs, type ParseArgsConfig } from 'node:util';

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

const OPTIONS = {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  open: { type: 'boolean' },
  'no-open': { type: 'boolean' },
  api: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;
type OptionName = keyof typeof OPTIONS;
const isOptionName = (name: string): name is OptionName => Object.hasOwn(OPTIONS, name);

/**
 * Reads the headless host's command line with node:util parseArgs, like the other CLIs. Its tokens (not its
 * `values`) are walked so that the last of --open / --no-open wins and every bad input gets this host's own
 * message with the usage line: an unknown option or a stray argument ("Unknown option"), an option without its
 * value ("needs a value"), a port outside 0..65535, a TLS certificate without its key.
 */
export function parseHeadlessArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): HeadlessArgs {
  const out: HeadlessArgs = { port: env.WATCHROOM_PORT ? Number(env.WATCHROOM_PORT) : 0, host: '127.0.0.1', open: true, api: false };
  // strict: false so that unknown options reach us as tokens (and get the message above, not parseArgs's)
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') throw new Error(`Unknown option ${token.value}. ${HEADLESS_USAGE}`);
    if (token.kind === 'option-terminator') throw new Error(`Unknown option --. ${HEADLESS_USAGE}`);
    const name = token.name;
    if (!isOptionName(name)) throw new Error(`Unknown option ${argv[token.index]}. ${HEADLESS_USAGE}`);
    const value = (): string => {
      if (token.value === undefined || token.value === '') throw new Error(`${token.rawName} needs a value. ${HEADLESS_USAGE}`);
      return token.value;
    };
    switch (name) {
      case 'data-dir':
        out.dataDir = value();
        break;
      case 'port':
        out.port = Number(value());
        break;
      case 'host':
        out.host = value();
        break;
      case 'tls-cert':
        out.tlsCert = value();
        break;
      case 'tls-key':
        out.tlsKey = value();
        break;
      case 'no-open':
        out.open = false;
        break;
      case 'open':
        out.open = true;
        break;
      case 'api':
        out.api = true;
        break;
    }
  }
  if (!Number.isInteger(out.port) || out.port < 0 || out.port > 65535) throw new Error(`--port must be 0..65535. ${HEADLESS_USAGE}`);
  if ((out.tlsCert === undefined) !== (out.tlsKey === undefined)) throw new Error(`--tls-cert and --tls-key go together. ${HEADLESS_USAGE}`);
  return out;
}
