import { spawnSync } from 'node:child_process';
import { repoRoot } from './shared-fixtures';

/**
 * Opens ONNX files with ONNX Runtime in a child process (its native logger writes straight to fd 2, which
 * the test process cannot intercept) with logging at warning level, and returns every warning or error line.
 * ORT checks the value_info shapes a converter records against its own shape inference while opening a
 * model; a disagreement is only logged ("Error merging shape info"), so an empty result is the check.
 */
export function ortWarnings(files: string[]): { warnings: string[]; stderr: string; status: number | null } {
  const script = `
    const ort = require('onnxruntime-node');
    (async () => {
      for (const f of process.argv.slice(1)) {
        const s = await ort.InferenceSession.create(f, { logSeverityLevel: 2, graphOptimizationLevel: 'all' });
        await s.release();
      }
    })().catch((e) => { console.error('FAILED ' + e.message); process.exit(3); });`;
  const r = spawnSync(process.execPath, ['-e', script, ...files], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  const stderr = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const warnings = stderr.split('\n').filter((l) => /\[(W|E|F):onnxruntime|Error merging shape info|FAILED/.test(l));
  return { warnings, stderr, status: r.status };
}
