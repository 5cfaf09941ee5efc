// `npm run audit -- verify --data-dir <dir>`: checks the audit trail's hash chain (see audit-command.ts).
import { runAuditCli } from './audit-command';

process.exitCode = runAuditCli(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
