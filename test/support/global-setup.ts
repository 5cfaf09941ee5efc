import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './shared-fixtures';

/** Workers, CLIs and the headless host are spawned from their bundles, so build them once per test run. */
export default function setup(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-node.mjs')], { stdio: 'inherit', cwd: repoRoot });
}
