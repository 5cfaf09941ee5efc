import type { authInvoke } from '../../shared/ipc/auth.contract';
import type { AreaHandlers } from '../../shared/ipc/contracts';
import { AppErrorException } from '../../shared/ipc/envelope';
import type { AuthService } from './auth.service';

export function authHandlers(auth: AuthService): AreaHandlers<typeof authInvoke> {
  return {
    'auth:status': (_i, ctx) => auth.status(ctx.peer),
    'auth:setup': ({ name, password }, ctx) => auth.setup(ctx.peer, name, password),
    'auth:login': ({ name, password, device }, ctx) => auth.login(ctx.peer, name, password, device),
    'auth:resume': ({ session }, ctx) => auth.resume(ctx.peer, session),
    'auth:logout': (_i, ctx) => (auth.logout(ctx.peer), { ok: true as const }),
    'auth:lock': (_i, ctx) => (auth.lock(ctx.peer), { ok: true as const }),
    'auth:unlock': ({ password }, ctx) => auth.unlock(ctx.peer, password),
    'auth:elevate': ({ channel, password, approver }, ctx) => auth.elevate(ctx.peer, channel, password, approver),
    'auth:change-password': async ({ current, next }, ctx) => {
      if (!ctx.user) throw new AppErrorException('forbidden', 'Sign in first.');
      await auth.changePassword(ctx.peer, ctx.user, current, next);
      return { ok: true as const };
    },
    'auth:policy': () => auth.policy(),
    'auth:set-policy': (input) => auth.setPolicy(input),
    'users:list': () => auth.listUsers(),
    'users:create': ({ name, role, password }) => auth.createUser(name, role, password),
    'users:update': ({ id, ...patch }, ctx) => auth.updateUser(ctx.user, id, patch),
    'users:reset-password': ({ id, password }, ctx) => auth.resetPassword(ctx.user, id, password),
  };
}
