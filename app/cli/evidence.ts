// `npm run evidence -- export …` and `npm run evidence -- verify <folder>` (see evidence-command.ts).
import { runEvidenceCli } from './evidence-command';

void runEvidenceCli(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then((code) => (process.exitCode = code));
