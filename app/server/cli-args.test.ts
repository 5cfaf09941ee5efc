import { describe, expect, it } from 'vitest';
import { HEADLESS_USAGE, parseHeadlessArgs } from './cli-args';

const fails = (argv: string[]) => {
  try {
    parseHeadlessArgs(argv);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseHeadlessArgs (node:util parseArgs)', () => {
  it('reads every option, spaced or with =', () => {
    expect(parseHeadlessArgs(['--data-dir', '/d', '--port', '8080', '--host', '0.0.0.0', '--tls-cert', 'c.pem', '--tls-key=k.pem', '--no-open', '--api'])).toEqual({
      dataDir: '/d',
      port: 8080,
      host: '0.0.0.0',
      tlsCert: 'c.pem',
      tlsKey: 'k.pem',
      open: false,
      api: true,
    });
    expect(parseHeadlessArgs(['--data-dir=/x', '--port=0'])).toEqual({ dataDir: '/x', port: 0, host: '127.0.0.1', open: true, api: false });
  });

  it('defaults: any free port (or WATCHROOM_PORT), loopback, opens a browser, API as the admin set it', () => {
    expect(parseHeadlessArgs([])).toEqual({ port: 0, host: '127.0.0.1', open: true, api: false });
    expect(parseHeadlessArgs([], { WATCHROOM_PORT: '9000' }).port).toBe(9000);
    expect(parseHeadlessArgs(['--port', '9100'], { WATCHROOM_PORT: '9000' }).port).toBe(9100);
  });

  it('the last of --open / --no-open wins', () => {
    expect(parseHeadlessArgs(['--no-open', '--open']).open).toBe(true);
    expect(parseHeadlessArgs(['--open', '--no-open']).open).toBe(false);
  });

  it('a value that starts with a dash is taken as the value, as before', () => {
    expect(parseHeadlessArgs(['--data-dir', '-weird']).dataDir).toBe('-weird');
  });

  it('bad input: the same messages as the hand-written parser, each with the usage line', () => {
    expect(fails(['--bogus'])).toBe(`Unknown option --bogus. ${HEADLESS_USAGE}`);
    expect(fails(['-p'])).toBe(`Unknown option -p. ${HEADLESS_USAGE}`);
    expect(fails(['stray'])).toBe(`Unknown option stray. ${HEADLESS_USAGE}`);
    expect(fails(['--bogus=1'])).toBe(`Unknown option --bogus=1. ${HEADLESS_USAGE}`);
    expect(fails(['--'])).toBe(`Unknown option --. ${HEADLESS_USAGE}`);
    expect(fails(['--port'])).toBe(`--port needs a value. ${HEADLESS_USAGE}`);
    expect(fails(['--data-dir='])).toBe(`--data-dir needs a value. ${HEADLESS_USAGE}`);
    expect(fails(['--port', '70000'])).toBe(`--port must be 0..65535. ${HEADLESS_USAGE}`);
    expect(fails(['--port', 'abc'])).toBe(`--port must be 0..65535. ${HEADLESS_USAGE}`);
    expect(fails(['--port=-1'])).toBe(`--port must be 0..65535. ${HEADLESS_USAGE}`);
    expect(fails(['--tls-cert', 'c.pem'])).toBe(`--tls-cert and --tls-key go together. ${HEADLESS_USAGE}`);
    expect(fails(['--tls-key', 'k.pem'])).toBe(`--tls-cert and --tls-key go together. ${HEADLESS_USAGE}`);
  });
});
