import type { Context, MiddlewareHandler } from 'hono';
import { type Role, permits } from '../domain/identity/roles.js';
import { RampartError } from '../platform/errors.js';
import type { Principal } from '../services/tokens.js';
import type { AppEnv, ServerDeps } from './context.js';

/**
 * Resolves the credential (if any): an API token (`rpt_`) as a principal, or a flag client key
 * (`rck_`, as Bearer or X-API-Key) as a client. Does not reject: `authorize` does.
 */
export function authenticate(deps: ServerDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const bearer = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    const credential = bearer ?? c.req.header('x-api-key');
    c.set('principal', credential ? await deps.tokens.authenticate(credential) : undefined);
    c.set('client', credential && !c.get('principal') ? await deps.clientKeys.authenticate(credential) : undefined);
    await next();
  };
}

/** Flag evaluation accepts a client key or any API token. */
export function authorizeEvaluation(c: Context<AppEnv>): { actor: string; environment: string | undefined } {
  const client = c.get('client');
  if (client) return { actor: client.actor, environment: client.environment };
  const principal = c.get('principal');
  if (principal) return { actor: principal.actor, environment: undefined };
  throw new RampartError('UNAUTHENTICATED', 'flag evaluation needs a client key (X-API-Key: rck_…, from `rampart flags client-key create`) or an API token');
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
