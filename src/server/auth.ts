import type { Context, MiddlewareHandler } from 'hono';
import { type Role, permits } from '../domain/identity/roles.js';
import { RampartError } from '../platform/errors.js';
import type { Principal } from '../services/tokens.js';
import type { AppEnv, ServerDeps } from './context.js';

/** Resolves the bearer token (if any) to a principal. Does not reject: `authorize` does. */
export function authenticate(deps: ServerDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const match = header && /^Bearer\s+(\S+)$/i.exec(header);
    c.set('principal', match ? await deps.tokens.authenticate(match[1]!) : undefined);
    await next();
  };
}

/**
 * Checks that the caller holds one of `roles` (admin holds all). No or a bad token is 401; a
 * token without the role is 403 naming the missing role, and the denial is audited with its actor.
 */
export async function authorize(c: Context<AppEnv>, deps: ServerDeps, roles: readonly Role[]): Promise<Principal> {
  const principal = c.get('principal');
  if (!principal) {
    throw new RampartError('UNAUTHENTICATED', 'missing or invalid API token: send "Authorization: Bearer rpt_…" (create one with `rampart token create`)');
  }
  if (!permits(principal.roles, roles)) {
    const endpoint = `${c.req.method} ${c.req.routePath}`;
    await deps.audit.record({
      actor: principal.actor,
      action: 'auth.denied',
      subject: { kind: 'endpoint', id: endpoint },
      payload: { required: roles, held: principal.roles, path: c.req.path, requestId: c.get('requestId') },
    });
    throw new RampartError('FORBIDDEN', `${endpoint} needs role ${roles.join(' or ')}; this token has ${principal.roles.join(', ')}`, {
      required: roles,
      held: principal.roles,
    });
  }
  return principal;
}

/** Reads need any valid token (every role includes viewer). */
export const viewer: readonly Role[] = ['viewer'];
export const admin: readonly Role[] = ['admin'];
