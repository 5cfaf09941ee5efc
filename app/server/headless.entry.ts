// The headless host (`npm run serve`): the engine in plain Node, serving the renderer and the API over
// HTTP + WebSocket on 127.0.0.1 with a per-run token. Prints `WATCHROOM_URL=...` once it listens.
import fs from 'node:fs';
import path from 'node:path';
import { URL_LINE_PREFIX } from '../shared/ipc/ws-protocol';
import { createFileLogger } from '../engine/logging/file-logger';
import { appRoot } from '../engine/process/app-paths';
import { createNodeWorkerStarter } from '../engine/process/node-worker-starter';
import { WatchroomEngine } from '../engine/services/engine';
import { resolveDataDir } from '../engine/storage/data-dir';
import { parseHeadlessArgs } from './cli-args';
import { startHeadlessHost } from './headless-host';
import { canOpenBrowser, openBrowser } from './open-browser';
import { createApiHandler } from '../engine/http-api/api-handler';


function readVersion(root: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseHeadlessArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const dataDir = resolveDataDir({ argv: args.dataDir ? ['--data-dir', args.dataDir] : [] });
  const logger = createFileLogger({ dataDir, base: { host: 'headless', pid: process.pid } });
  const root = appRoot();
  const version = readVersion(root);
  const engine = new WatchroomEngine({ dataDir, workerStarter: createNodeWorkerStarter({ logger }), logger, hostKind: 'headless', version });

  let stopping = false;
  let host: Awaited<ReturnType<typeof startHeadlessHost>> | null = null;
  const shutdown = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { why });
    const force = setTimeout(() => process.exit(code || 1), 15_000);
    force.unref();
    try {
      await host?.close();
      await engine.dispose();
    } catch (err) {
      logger.error('shutdown failed', { err });
    }
    logger.close();
    process.exit(code);
  };
  process.on('SIGINT', () => (stopping ? process.exit(130) : void shutdown('SIGINT', 0)));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGHUP', () => void shutdown('SIGHUP', 0));
  process.on('uncaughtException', (err) => {
    logger.error('uncaught exception', { err });
    void shutdown('uncaught exception', 1);
  });

  try {
    engine.start();
    const tls = args.tlsCert && args.tlsKey ? { cert: fs.readFileSync(args.tlsCert), key: fs.readFileSync(args.tlsKey) } : undefined;
    // The HTTP API answers when an admin turned it on (Settings), or for this run with --api.
    const api = createApiHandler({ engine, logger, version, forceEnabled: args.api });
    host = await startHeadlessHost({ engine, logger, rendererDir: path.join(root, 'dist', 'renderer'), host: args.host, port: args.port, api, playbackFile: (t) => engine.playbackFile(t), downloads: engine.downloads, ...(tls ? { tls } : {}) });
  } catch (err) {
    process.stderr.write(`Watchroom could not start: ${(err as Error).message}\n`);
    logger.error('start failed', { err });
    await shutdown('start failed', 1);
    return;
  }
  if (args.host !== '127.0.0.1' && args.host !== 'localhost' && args.host !== '::1') {
    process.stderr.write(`Warning: listening on ${args.host}, reachable from other machines (TLS; the token and a sign-in are required).\n`);
  }
  process.stdout.write(`${URL_LINE_PREFIX}${host.url}\n`);
  process.stdout.write(`Watchroom headless host running at ${host.url}\n  data: ${dataDir}\n  Press Ctrl+C to stop.\n`);
  if (args.api) process.stdout.write(`  HTTP API on for this run: ${host.url.replace(/\/\?token=.*$/, '')}/api/v1/ (send an API token: npm run api-token -- create)\n`);
  if (args.open && canOpenBrowser()) openBrowser(host.url, (err) => logger.warn('could not open a browser', { err }));
}

void main();
