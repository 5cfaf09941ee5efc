import { parseArgs } from 'node:util';
import type { ModelEntry } from '../engine/models/model-registry';
import { fetchModel } from '../engine/models/model-fetch';
import { importModel, type ImportDecoder } from '../engine/models/model-import';
import { fail, modelDirOptions, registryFrom } from './cli-common';

const HELP = `Usage: npm run models -- <command> [options]
  list [--json] [--default <id>]     known models, verified (file, SHA-256, ONNX I/O), best first
  fetch <id> [--sha256 <hex>]         download a manifest's model into the models dir and verify it
  import <file.onnx> [--decoder yolox|ultralytics] [--id <id>]
                                      check and copy a local ONNX file, writing its manifest beside it
Options: --models-dir <dir> | --data-dir <dir> (models in <dir>/models; default WATCHROOM_DATA_DIR)`;

function progressBar(received: number, total: number | null): string {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  if (!total) return `\r  ${mb(received)} MB`;
  const f = Math.min(1, received / total);
  const w = 30;
  return `\r  [${'#'.repeat(Math.round(f * w)).padEnd(w, '.')}] ${(f * 100).toFixed(0).padStart(3)}% ${mb(received)}/${mb(total)} MB`;
}

function table(entries: ModelEntry[], defaultId: string | null): string {
  const rows = entries.map((e) => [e.manifest.id === defaultId ? '*' : ' ', e.manifest.id, e.status, e.manifest.decoder, String(e.manifest.rank), e.manifest.licence, e.error ?? '']);
  const head = [' ', 'id', 'status', 'decoder', 'rank', 'licence', 'problem'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, default: { type: 'string' }, sha256: { type: 'string' }, decoder: { type: 'string' }, id: { type: 'string' }, help: { type: 'boolean' }, ...modelDirOptions },
  });
  const [cmd, arg] = positionals;
  if (values.help || !cmd) return void process.stdout.write(`${HELP}\n`);
  const registry = registryFrom(values, values.default);

  if (cmd === 'list') {
    const entries = await registry.list();
    const best = await registry.best();
    if (values.json) process.stdout.write(`${JSON.stringify(await registry.views())}\n`);
    else process.stdout.write(`${table(entries, best?.manifest.id ?? null)}\n${best ? `default: ${best.manifest.id}` : 'no usable detector installed'} (models dir: ${registry.modelsDir})\n`);
    return;
  }
  if (cmd === 'fetch') {
    if (!arg) fail('fetch needs a model id (see `models list`)', 2);
    const entry = (await registry.list()).find((e) => e.manifest.id === arg);
    if (!entry) fail(`no manifest with id "${arg}"`, 2);
    process.stderr.write(`fetching ${arg} from ${entry.manifest.url ?? '(no URL)'}\n`);
    let last = 0;
    const r = await fetchModel({
      manifest: entry.manifest,
      modelsDir: registry.modelsDir,
      sha256: values.sha256,
      onProgress: ({ received, total }) => {
        const now = Date.now();
        if (now - last > 100 || received === total) {
          last = now;
          process.stderr.write(progressBar(received, total));
        }
      },
    }).finally(() => process.stderr.write('\n'));
    const check = await registry.require(arg).catch((e: Error) => e);
    if (check instanceof Error) fail(`downloaded ${r.filePath} but it is not usable: ${check.message}`);
    process.stdout.write(`${JSON.stringify({ fetched: arg, file: r.filePath, sha256: r.sha256 })}\n`);
    return;
  }
  if (cmd === 'import') {
    if (!arg) fail('import needs an .onnx file', 2);
    const decoder = values.decoder as ImportDecoder | undefined;
    if (decoder && decoder !== 'yolox' && decoder !== 'ultralytics') fail('--decoder must be yolox or ultralytics', 2);
    const r = await importModel({ file: arg, modelsDir: registry.modelsDir, decoder, id: values.id });
    process.stdout.write(`${JSON.stringify({ imported: r.manifest.id, decoder: r.manifest.decoder, file: r.filePath, manifest: r.manifestPath, sha256: r.manifest.sha256 })}\n`);
    return;
  }
  fail(`unknown command "${cmd}"\n${HELP}`, 2);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
