import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { RampartError } from '../../platform/errors.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { type SessionStore, csrfCookie, principalFromSession, readCookie, sessionCookie } from '../session.js';
import { jsonBody } from '../validate.js';

const signInBody = z.strictObject({ token: z.string().min(1, 'paste an API token (rpt_…)') });

function cookie(c: Context, name: string, value: string, maxAgeSeconds: number, httpOnly: boolean): string {
  const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  return [
    `${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`,
    ...(httpOnly ? ['HttpOnly'] : []), ...(https ? ['Secure'] : []),
  ].join('; ');
}

/**
 * The dashboard's sign-in: POST exchanges an API token for a session cookie (http-only,
 * SameSite=Strict) and a CSRF token; GET describes the current session, or `signedIn: false` with
 * why (none, expired, revoked), for a reloaded page;
 * DELETE signs out. The token itself is never stored in the browser.
 */
export function sessionRoutes(deps: ServerDeps, sessions: SessionStore) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      // A JSON content type cannot be sent cross-site without a CORS preflight: no login CSRF.
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
        throw new RampartError('BAD_REQUEST', 'send the token as JSON {"token": "rpt_…"} with Content-Type: application/json');
      }
      const body = await jsonBody(c, signInBody);
      const principal = await deps.tokens.authenticate(body.token.trim());
      if (!principal) {
        throw new RampartError('UNAUTHENTICATED', 'that token is unknown or revoked; create one with `rampart token create --name you --role viewer`');
      }
      const created = sessions.create(principal);
      await deps.audit.record({ actor: principal.actor, action: 'session.create', subject: { kind: 'token', id: principal.tokenId }, payload: { expiresAt: new Date(created.expiresAt).toISOString() } });
      const maxAge = Math.floor(sessions.ttlMs / 1000);
      c.header('Set-Cookie', cookie(c, sessionCookie, created.id, maxAge, true), { append: true });
      c.header('Set-Cookie', cookie(c, csrfCookie, created.csrf, maxAge, false), { append: true });
      c.header('Cache-Control', 'no-store');
      return c.json({
        signedIn: true, actor: principal.actor, roles: principal.roles, tokenId: principal.tokenId,
        csrfToken: created.csrf, expiresAt: new Date(created.expiresAt).toISOString(),
      }, 201);
    })
    .get('/', async (c) => {
      const found = await sessions.lookup(readCookie(c.req.header('cookie'), sessionCookie));
      c.header('Cache-Control', 'no-store');
      // Not being signed in is an answer here, not an error: the page asks this on every load.
      if (!found.ok) return c.json({ signedIn: false, reason: found.reason });
      const p = found.principal;
      return c.json({ signedIn: true, actor: p.actor, roles: p.roles, tokenId: p.tokenId, csrfToken: found.csrf, expiresAt: new Date(found.expiresAt).toISOString() });
    })
    .delete('/', async (c) => {
      // Signing out needs the CSRF token too, so another site cannot end a session.
      const principal = await principalFromSession(c, sessions);
      const ended = sessions.destroy(readCookie(c.req.header('cookie'), sessionCookie));
      if (principal && ended) {
        await deps.audit.record({ actor: principal.actor, action: 'session.end', subject: { kind: 'token', id: principal.tokenId }, payload: {} });
      }
      c.header('Set-Cookie', cookie(c, sessionCookie, '', 0, true), { append: true });
      c.header('Set-Cookie', cookie(c, csrfCookie, '', 0, false), { append: true });
      return c.json({ signedOut: ended });
    });
}
