// `npm run api-token -- create --data-dir <dir> --name <integration> --role <role> [--days N]` (see api-token-command.ts).
import { runApiTokenCli } from './api-token-command';

process.exitCode = runApiTokenCli(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
