import type { auditInvoke } from '../../shared/ipc/audit.contract';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import type { AuditTrail } from './audit-trail';

export function auditHandlers(audit: AuditTrail): AreaHandlers<typeof auditInvoke> {
  return {
    'audit:list': (input) => audit.list(input),
    'audit:verify': () => audit.verify(),
  };
}
