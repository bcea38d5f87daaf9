import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { isRole } from '../domain/identity/roles.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import type { Principal } from '../services/tokens.js';
import type { Store } from '../store/types.js';
import type { AppEnv } from './context.js';

/** The http-only cookie holding the session id (never readable by scripts). */
export const sessionCookie = 'rampart_session';
/** A readable cookie with the CSRF token, so a reloaded page can send it again. */
export const csrfCookie = 'rampart_csrf';
export const csrfHeader = 'x-csrf-token';
export const defaultSessionTtlMs = 8 * 60 * 60 * 1000;

interface SessionRecord {
  tokenId: string;
  csrf: string;
  expiresAt: number;
  /** Set when its token was found revoked: kept until the next sweep so the page can say why. */
  revoked?: true;
}

export interface CreatedSession {
  /** The plain session id: goes into the cookie once, only its hash is kept. */
  id: string;
  csrf: string;
  expiresAt: number;
}

export type SessionLookup =
  | { ok: true; principal: Principal; csrf: string; expiresAt: number }
  | { ok: false; reason: 'none' | 'expired' | 'revoked' };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Reads one cookie from a Cookie header; undefined when absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Dashboard sessions, in memory: a restart signs everyone out, which is acceptable for a control
 * plane (people paste their token again). Keyed by the SHA-256 of the id so a heap dump does not
 * hand out live cookies. A session carries only its token's id: every lookup reads the token again,
 * so revoking the token ends its sessions at once.
 */
export function createSessionStore(store: Store, clock: Clock, options: { ttlMs?: number; maxSessions?: number } = {}) {
  const ttlMs = options.ttlMs ?? defaultSessionTtlMs;
  const maxSessions = options.maxSessions ?? 10_000;
  const sessions = new Map<string, SessionRecord>();

  function sweep(): void {
    const now = clock.now();
    for (const [k, s] of sessions) if (s.expiresAt <= now || s.revoked) sessions.delete(k);
    // Map keeps insertion order: past the cap, the oldest sessions go first.
    while (sessions.size >= maxSessions) sessions.delete(sessions.keys().next().value as string);
  }

  return {
    ttlMs,
    /** Starts a session for an already authenticated principal; first drops ended sessions. */
    create(principal: Principal): CreatedSession {
      sweep();
      const id = randomBytes(32).toString('base64url');
      const csrf = randomBytes(32).toString('base64url');
      const expiresAt = clock.now() + ttlMs;
      sessions.set(hashId(id), { tokenId: principal.tokenId, csrf, expiresAt });
      return { id, csrf, expiresAt };
    },

    /** Resolves a session id to its principal, or says why not (none, expired, revoked token). */
    async lookup(id: string | undefined): Promise<SessionLookup> {
      if (!id) return { ok: false, reason: 'none' };
      const key = hashId(id);
      const s = sessions.get(key);
      if (!s) return { ok: false, reason: 'none' };
      // Ended sessions stay (unusable) until the next sweep, so every lookup can tell why.
      if (s.expiresAt <= clock.now()) return { ok: false, reason: 'expired' };
      if (s.revoked) return { ok: false, reason: 'revoked' };
      const token = await store.tokens.get(s.tokenId);
      if (!token || token.revokedAt) {
        s.revoked = true;
        return { ok: false, reason: 'revoked' };
      }
      return { ok: true, principal: { actor: `token:${token.name}`, tokenId: token.id, roles: token.roles.filter(isRole) }, csrf: s.csrf, expiresAt: s.expiresAt };
    },

    /** Ends a session; true when there was one. Idempotent. */
    destroy(id: string | undefined): boolean {
      return id ? sessions.delete(hashId(id)) : false;
    },

    get size(): number {
      return sessions.size;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

/**
 * Resolves the request's session cookie when no API token was sent. Cookie-authenticated requests
 * that change state must carry the session's CSRF token in `X-CSRF-Token`; without it they are
 * refused (403) before any route runs. Returns undefined when there is no usable session.
 */
export async function principalFromSession(c: Context, sessions: SessionStore): Promise<Principal | undefined> {
  const found = await sessions.lookup(readCookie(c.req.header('cookie'), sessionCookie));
  if (!found.ok) return undefined;
  if (!safeMethods.has(c.req.method)) {
    const sent = c.req.header(csrfHeader);
    if (!sent || !sameSecret(sent, found.csrf)) {
      throw new RampartError('FORBIDDEN', 'this request uses a session cookie and changes state, so it needs the X-CSRF-Token header from POST /api/v1/session');
    }
  }
  return found.principal;
}

/**
 * Middleware to run right after `authenticate`: when no API token or client key was sent, the
 * session cookie (if any) supplies the principal. Never rejects a request without a session;
 * `authorize` does that.
 */
export function sessionAuthentication(sessions: SessionStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // The session routes read the cookie themselves: signing in again over a live session needs no CSRF token.
    const own = c.req.path === '/api/v1/session' || c.req.path.startsWith('/api/v1/session/');
    if (!own && !c.get('principal') && !c.get('client') && !c.req.header('authorization') && !c.req.header('x-api-key')) {
      c.set('principal', await principalFromSession(c, sessions));
    }
    await next();
  };
}
