import { createHash, randomBytes } from 'node:crypto';
import { type Role, isRole, roles as allRoles } from '../domain/identity/roles.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { createTtlCache } from '../platform/ttl-cache.js';
import type { Store, TokenRecord } from '../store/types.js';
import type { AuditLog } from './audit-log.js';

export const tokenPrefix = 'rpt_';

/** Who is calling: from a token, or the controller itself. */
export interface Principal {
  /** `token:<name>`, the actor written into audit events. */
  actor: string;
  tokenId: string;
  roles: Role[];
}

/** Tokens are 32 random bytes; storing SHA-256 is enough (no dictionary to attack). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function generateToken(): string {
  return tokenPrefix + randomBytes(32).toString('base64url');
}

/** Public view of a token: never the hash, never the token. */
export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  roles: string[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

function view(t: TokenRecord): TokenView {
  const { tokenHash: _hash, ...rest } = t;
  return rest;
}

export function parseRoles(values: readonly string[]): Role[] {
  const bad = values.filter((r) => !isRole(r));
  if (bad.length > 0 || values.length === 0) {
    throw new RampartError('VALIDATION_FAILED', values.length === 0
      ? `give at least one role (one of: ${allRoles.join(', ')})`
      : `unknown role ${bad.map((b) => `"${b}"`).join(', ')}; roles are: ${allRoles.join(', ')}`, { field: 'roles' });
  }
  return [...new Set(values)] as Role[];
}

export function createTokenService(store: Store, audit: AuditLog, clock: Clock) {
  const nowIso = () => new Date(clock.now()).toISOString();
  // Every request authenticates: keep lookups (hits and misses) off the store for a few seconds.
  const cache = createTtlCache<Principal | null>(5000, clock.now);

  return {
    /** Creates a token; the plain value is returned once and never stored. */
    async create(input: { name: string; roles: readonly string[] }, by: Principal | { actor: string }) {
      const name = input.name?.trim();
      if (!name) throw new RampartError('VALIDATION_FAILED', 'token name is required (--name)', { field: 'name' });
      const roles = parseRoles(input.roles ?? []);
      const token = generateToken();
      const record: TokenRecord = {
        id: newId('tok_', clock.now()), name, tokenHash: hashToken(token), prefix: token.slice(0, 10),
        roles, createdAt: nowIso(), createdBy: by.actor, revokedAt: null,
      };
      await audit.record(
        { actor: by.actor, action: 'token.create', subject: { kind: 'token', id: record.id }, payload: { name, roles } },
        (trx) => store.tokens.insert(record, trx),
      );
      return { token, record: view(record) };
    },

    async authenticate(token: string): Promise<Principal | undefined> {
      if (!token.startsWith(tokenPrefix)) return undefined;
      const hash = hashToken(token);
      const cached = cache.get(hash);
      if (cached !== undefined) return cached ?? undefined;
      const t = await store.tokens.findByHash(hash);
      const principal = !t || t.revokedAt ? null : { actor: `token:${t.name}`, tokenId: t.id, roles: t.roles.filter(isRole) };
      cache.set(hash, principal);
      return principal ?? undefined;
    },

    async list(): Promise<TokenView[]> {
      return (await store.tokens.list()).map(view);
    },

    async revoke(id: string, by: Principal) {
      const existing = await store.tokens.get(id);
      if (!existing) throw new RampartError('NOT_FOUND', `no token with id ${id}; see \`rampart token list\``);
      if (existing.revokedAt) throw new RampartError('CONFLICT', `token ${id} was already revoked at ${existing.revokedAt}`);
      await audit.record(
        { actor: by.actor, action: 'token.revoke', subject: { kind: 'token', id }, payload: { name: existing.name } },
        async (trx) => {
          if (!(await store.tokens.revoke(id, nowIso(), trx))) throw new RampartError('CONFLICT', `token ${id} was revoked meanwhile`);
        },
      );
      cache.clear();
      return view({ ...existing, revokedAt: nowIso() });
    },

    /**
     * Makes sure an admin can get in. With `envToken` (RAMPART_ADMIN_TOKEN) that value becomes the
     * admin token. Otherwise, when no active token exists, a new admin token is created and
     * returned for printing once. Returns undefined when nothing new was made.
     */
    async bootstrapAdmin(envToken: string | undefined): Promise<string | undefined> {
      if (envToken) {
        if (!envToken.startsWith(tokenPrefix) || envToken.length < 24) {
          throw new RampartError('CONFIG_INVALID', `RAMPART_ADMIN_TOKEN must start with "${tokenPrefix}" and be at least 24 characters`);
        }
        const existing = await store.tokens.get('tok_env_admin');
        if (existing?.tokenHash === hashToken(envToken) && !existing.revokedAt) return undefined;
        const record: TokenRecord = {
          id: 'tok_env_admin', name: 'admin (RAMPART_ADMIN_TOKEN)', tokenHash: hashToken(envToken), prefix: envToken.slice(0, 10),
          roles: ['admin'], createdAt: nowIso(), createdBy: 'rampart', revokedAt: null,
        };
        cache.clear();
        await audit.record(
          { actor: 'rampart', action: 'token.bootstrap', subject: { kind: 'token', id: record.id }, payload: { source: 'RAMPART_ADMIN_TOKEN' } },
          (trx) => store.tokens.upsert(record, trx),
        );
        return undefined;
      }
      if ((await store.tokens.countActive()) > 0) return undefined;
      const { token } = await this.create({ name: 'admin', roles: ['admin'] }, { actor: 'rampart' });
      return token;
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
